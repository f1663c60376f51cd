"""The bank's pages read in one language: each page, and each form with a mistake, in Chinese and in English,
shows no interface text of the other language outside what teachers wrote (the portal crawl's own reader)."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from zhijiao.portal.tests.languages import UserContent, foreign_text, readable_text

from ..models import QuestionVersion
from .factories import SAMPLES, make_question

pytestmark = pytest.mark.django_db


def _data_strings() -> list[str]:
    """What teachers wrote inside the versions' data (options, accepted answers, rubric criteria)."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for data in QuestionVersion.objects.values_list("data", flat=True):
        walk(data)
    return found


def _findings(client, method: str, url: str, data: dict | None = None) -> list[str]:
    found = []
    for language in ("zh-hans", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url) if method == "get" else client.post(url, data or {})
        assert response.status_code < 500, (url, language)
        page = response.content.decode()
        # The accepted answers teachers wrote ("push") look like program codes to the portal's reader: add them.
        contents = (UserContent.from_database(), UserContent(_data_strings()))
        found += [
            f"[{language}] {url}: {text}" for text in foreign_text(readable_text(page, language), language, *contents)
        ]
    return found


def test_every_bank_page_reads_in_one_language(client, lead, course) -> None:
    questions = [
        make_question(actor=lead, course=course, type=name, tags=["第一章"], knowledge_points=["栈"])
        for name in SAMPLES
    ]
    client.force_login(lead)
    base = f"/courses/{course.pk}/edit/questions/"
    found = _findings(client, "get", base)
    found += _findings(client, "get", f"{base}?type=single&difficulty=3&tag=第一章")
    for name in SAMPLES:
        found += _findings(client, "get", f"{base}new/{name}/")
        found += _findings(client, "post", f"{base}new/{name}/", {"stem": "", "points": "0"})
    for question in questions:
        found += _findings(client, "get", f"{base}{question.pk}/")
        found += _findings(client, "get", f"{base}{question.pk}/versions/")
    found += _findings(client, "post", f"{base}import", {"format": "xlsx", "file": SimpleUploadedFile("x.xlsx", b"x")})
    assert not found, "\n".join(found)
