"""Errors name a field the way people read it (its label, in their language), never by its code name; the API keeps
the code name as the machine-readable key of its ``fields`` and words its messages for people."""

from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zhijiao.core.errors import DomainError
from zhijiao.core.views import form_errors
from zhijiao.employment.tests.factories import make_regions
from zhijiao.orgs.models import Organization

pytestmark = pytest.mark.django_db


class JobFilter(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False)
    error_labels = {"region": _("地区代码")}


class OrganizationName(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "地区代码：未知的地区代码：北京"), ("en", "Region code: Unknown region code: 北京")],
)
def test_a_service_error_for_a_field_the_form_lacks_is_named_by_its_label(language: str, expected: str) -> None:
    with translation.override(language):
        form = JobFilter({"q": ""})
        form.is_valid()
        form_errors(form, ValidationError({"region": [_("未知的地区代码：%(value)s") % {"value": "北京"}]}))
        assert form.non_field_errors() == [expected]


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "统一社会信用代码"), ("en", "Unified social credit code")])
def test_a_model_form_names_it_by_the_model_fields_verbose_name(language: str, label: str) -> None:
    with translation.override(language):
        form = OrganizationName({"name": "北京云杉生物科技有限公司"})
        form.is_valid()
        form_errors(form, DomainError("invalid", "x", fields={"uscc": ["校验位不正确"]}))
        assert form.non_field_errors() == [f"{label}{'：' if language == 'zh-hans' else ': '}校验位不正确"]


def test_errors_of_the_forms_own_fields_stay_next_to_them() -> None:
    form = JobFilter({"q": ""})
    form.is_valid()
    form_errors(form, ValidationError({"q": ["太短"], "__all__": ["请稍后再试"]}))
    assert form.errors["q"] == ["太短"]
    assert form.non_field_errors() == ["请稍后再试"]


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("zh-hans", ["行业：", "排序：未知的排序方式"], ["industry：", "sort："]),
        ("en", ["Industry: Invalid value: Z", "Order: Unknown sort order"], ["industry:", "sort:", "："]),
    ],
)
def test_the_job_search_names_a_refused_filter_by_its_label(
    client: Client, language: str, shown: list[str], hidden: list[str]
) -> None:
    make_regions()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/employment/jobs/", {"industry": "Z", "sort": "cheapest"}).content.decode()
    messages = page[page.index('<ul class="messages"') :].split("</ul>", 1)[0]
    for text in shown:
        assert text in messages, messages
    for text in hidden:
        assert text not in messages, messages


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "已忽略筛选条件“平台”：未知的平台：moon"),
        ("en", "Filter “Platform” ignored: Unknown platform: moon"),
    ],
)
def test_the_search_names_a_refused_filter_by_its_label(client: Client, language: str, expected: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/search/", {"q": "数学", "platform": "moon"}).content.decode()
    assert expected in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_api_keys_fields_by_code_name_and_words_messages_for_people(
    client: Client, recruiter: Any, language: str
) -> None:
    from zhijiao.employment.tests.factories import job_data, verify_employer

    make_regions()
    verify_employer(recruiter.memberships.get().organization)
    client.force_login(recruiter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    data = job_data(region_codes=["北京"])
    body = {**data.__dict__, "valid_through": data.valid_through.isoformat()}
    answer = client.post("/api/v1/employment/jobs", body, content_type="application/json")
    assert answer.status_code == 422
    payload = answer.json()
    assert list(payload["fields"]) == ["region_codes"]
    assert "region_codes" not in payload["message"]
    assert not any("region_codes" in text for text in payload["fields"]["region_codes"])
    if language == "en":
        assert payload["fields"]["region_codes"] == ["Unknown region codes: 北京"]
        assert not any("\uff1a" in text for text in [payload["message"], *payload["fields"]["region_codes"]])
