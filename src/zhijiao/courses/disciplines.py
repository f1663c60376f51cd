"""Writes the national discipline catalogue (``orgs.disciplines``: 学科门类 and 一级学科 with their 2022 codes) into
the course engine's ``Discipline`` table, which is what course pages read.

``discipline_sync`` is called by a data migration and by ``zhijiao seed``.
"""

from __future__ import annotations

from zhijiao.orgs.disciplines import CATEGORIES, FIRST_LEVEL

__all__ = ["CATEGORIES", "FIRST_LEVEL", "catalogue_rows", "discipline_sync"]


def catalogue_rows() -> list[tuple[str, str, str | None]]:
    """(code, name, parent code) for every category and first-level discipline, categories first."""
    rows: list[tuple[str, str, str | None]] = [(code, name, None) for code, name in CATEGORIES]
    rows += [(code, name, code[:2]) for code, name in FIRST_LEVEL]
    return rows


def discipline_sync(model: type) -> int:
    """Write the catalogue into the ``Discipline`` table given (the live model, or a migration's historical one):
    new codes added, renamed ones updated, nothing removed (courses may be filed under a code). Returns the count."""
    by_code = {row.code: row for row in model.objects.all()}  # type: ignore[attr-defined]
    for code, name, parent_code in catalogue_rows():
        parent = by_code.get(parent_code) if parent_code else None
        row = by_code.get(code)
        if row is None:
            row = model.objects.create(code=code, name=name, parent=parent)  # type: ignore[attr-defined]
            by_code[code] = row
        elif row.name != name or row.parent_id != (parent.pk if parent else None):
            row.name, row.parent = name, parent
            row.save(update_fields=["name", "parent"])
    return len(by_code)
