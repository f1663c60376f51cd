"""Test data for the academic records: records of a university (the people, registrars and credentials come from
the credentials kernel's factories)."""

from datetime import date
from typing import Any

from zhijiao.core.crypto import blind_index
from zhijiao.core.masking import mask_id_number
from zhijiao.credentials.tests.factories import (
    _seq,
    issue_exam_credential,
    make_holder,
    make_id_number,
    make_registrar,
)
from zhijiao.hall.records.models import AcademicRecord
from zhijiao.orgs.models import Organization

__all__ = ["issue_exam_credential", "make_holder", "make_id_number", "make_record", "make_registrar"]


def make_record(university: Organization, *, name: str, id_number: str, **fields: Any) -> AcademicRecord:
    values: dict[str, Any] = {
        "programme": "计算机科学与技术",
        "level": "bachelor",
        "record_type": "qualification",
        "entry_date": date(2020, 9, 1),
        "end_date": date(2024, 6, 30),
        "status": "graduated",
        "certificate_number": f"10003120240{next(_seq):05d}",
    }
    values.update(fields)
    return AcademicRecord.objects.create(
        holder_name=name,
        id_number=id_number,
        id_number_index=blind_index(id_number, context="id_number"),
        id_number_masked=mask_id_number(id_number),
        university=university,
        **values,
    )
