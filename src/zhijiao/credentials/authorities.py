"""Who issues each official document of the service hall, from ``settings.ISSUING_AUTHORITIES``.

A document names the authority that stands behind it (教育部留学服务中心 for a foreign degree authentication,
教育部教育考试院 for a CET certificate …), never the organisation of the officer who happened to approve it: the
officer acts for the authority. A province changes the names in configuration, not in code (see the README).

Documents are official and in Chinese whatever the viewer's language, so what is printed and signed is
:attr:`Authority.name`; pages that describe a service use :attr:`Authority.label`, in the visitor's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language


@dataclass(frozen=True)
class Authority:
    key: str
    name: str  # the official Chinese name: printed on documents and signed into credentials
    name_en: str

    @property
    def label(self) -> str:
        """The name in the current language, for pages about the service."""
        return self.name_en if (get_language() or "").startswith("en") else self.name

    def __str__(self) -> str:
        return self.label


def authority(key: str) -> Authority:
    """The configured authority of a document type (``"abroad.degree"``, ``"exams.cet4"`` …)."""
    entry = settings.ISSUING_AUTHORITIES[key]
    if isinstance(entry, str):  # one name for both languages, as the settings file may give it
        return Authority(key=key, name=entry, name_en=entry)
    return Authority(key=key, name=entry["zh"], name_en=entry.get("en") or entry["zh"])
