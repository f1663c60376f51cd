"""A registry of named kinds that apps add to from their ``AppConfig.ready()`` (the course engine's block types,
the question bank's question types): one rule for names and for registering twice."""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class Named(Protocol):
    @property
    def name(self) -> str: ...


class Registry[T: Named]:
    """Kinds by name, in the order they were registered.

    A name is ASCII letters, digits and ``_``, at most ``max_length`` long. Registering the same class again
    (a second ``ready()``, a reloaded test) replaces it; another class under a taken name is a configuration error.
    """

    def __init__(self, what: str, *, max_length: int) -> None:
        self.what = what
        self.max_length = max_length
        self._kinds: dict[str, T] = {}

    def register(self, kind: T) -> T:
        name = kind.name
        if not name or not name.isascii() or not name.replace("_", "").isalnum() or len(name) > self.max_length:
            raise ImproperlyConfigured(
                f"{self.what} name {name!r}: ASCII letters, digits and _ (at most {self.max_length})"
            )
        existing = self._kinds.get(name)
        if existing is not None and type(existing) is not type(kind):
            raise ImproperlyConfigured(f"{self.what} {name!r} is already registered by {type(existing).__qualname__}")
        self._kinds[name] = kind
        return kind

    def unregister(self, name: str) -> None:
        self._kinds.pop(name, None)

    def get(self, name: str) -> T | None:
        return self._kinds.get(name)

    def all(self) -> list[T]:
        return list(self._kinds.values())
