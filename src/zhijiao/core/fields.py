from typing import Any

from django.db import models

from .crypto import seal, unseal


class EncryptedTextField(models.TextField):
    """A text column sealed with AES-GCM at rest; Python code sees plain text.

    It cannot be filtered on: pair it with a blind-index column (``crypto.blind_index``) for lookups.
    """

    description = "Text encrypted at rest"

    def __init__(self, *args: Any, context: str = "", **kwargs: Any) -> None:
        self.context = context
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.context:
            kwargs["context"] = self.context
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def _context(self) -> str:
        return self.context or f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return unseal(value, context=self._context())

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return seal(str(value), context=self._context())
