"""Employer registration, verification by staff (one verification for all), suspension hiding jobs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.identifiers import uscc_check_character
from zhijiao.employment.models import EmployerProfile
from zhijiao.orgs.models import Role
from zhijiao.orgs.selectors import has_role

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _code(body: str = "91110108MA01234567"[:17]) -> str:
    return body + uscc_check_character(body)


def _post(client, **overrides):
    data = {
        "name": "北京新药研究有限公司",
        "credit_code": _code(),
        "region_code": "110108",
        "contact_name": "王经理",
        "contact_phone": "13912345678",
        "licence": SimpleUploadedFile("licence.png", PNG, content_type="image/png"),
    }
    data.update(overrides)
    return client.post("/employment/employer/register/", data)


def test_registration_makes_a_pending_employer_with_the_registrant_as_recruiter(client, regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = make_user()
    client.force_login(user)
    response = _post(client)
    assert response.status_code == 302
    profile = EmployerProfile.objects.get()
    assert profile.status == EmployerProfile.Status.PENDING and not profile.needs_manual_review
    assert profile.organization.uscc == profile.credit_code
    assert has_role(user, Role.RECRUITER, organization=profile.organization)
    assert (profile.licence.name or "").endswith(".png")


def test_a_code_failing_its_check_character_goes_to_manual_review(client, regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_user())
    good = _code()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = _post(client, credit_code=bad)
    assert response.status_code == 302
    profile = EmployerProfile.objects.get()
    assert profile.needs_manual_review and profile.credit_code == bad
    assert profile.organization.uscc is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"credit_code": "123"}, "credit_code"),
        ({"region_code": "999999"}, "region_code"),
        ({"contact_phone": "12345"}, "contact_phone"),
        (
            {"licence": SimpleUploadedFile("licence.png", b"GIF89a not an allowed type", content_type="image/png")},
            "licence",
        ),
    ],
)
def test_bad_registrations_are_refused_with_field_messages(client, regions, overrides, field, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_user())
    response = _post(client, **overrides)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not EmployerProfile.objects.exists()


def test_licence_over_five_megabytes_is_refused(client, regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_user())
    big = SimpleUploadedFile("licence.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    response = _post(client, licence=big)
    assert response.status_code == 422
    assert "licence" in response.context["form"].errors


def _pending(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_user())
    _post(client)
    client.logout()
    return EmployerProfile.objects.get()


def test_employment_staff_of_any_university_verify_once_for_all(client, employment_staff, settings, tmp_path, regions):
    profile = _pending(client, settings, tmp_path)
    client.force_login(employment_staff)
    page = client.get("/employment/review/")
    assert page.status_code == 200 and profile.organization.name in page.content.decode()
    licence = client.get(f"/employment/review/{profile.pk}/licence/")
    assert licence.status_code == 200
    response = client.post(f"/employment/review/{profile.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == EmployerProfile.Status.VERIFIED
    assert (
        profile.organization.is_verified is True
        or profile.organization.__class__.objects.get(pk=profile.organization_id).is_verified
    )


def test_rejection_needs_a_reason_and_the_recruiter_is_told(client, platform_admin, settings, tmp_path, regions):
    profile = _pending(client, settings, tmp_path)
    client.force_login(platform_admin)
    client.post(f"/employment/review/{profile.pk}/", {"decision": "reject", "reason": ""})
    profile.refresh_from_db()
    assert profile.status == EmployerProfile.Status.PENDING
    client.post(f"/employment/review/{profile.pk}/", {"decision": "reject", "reason": "执照模糊"})
    profile.refresh_from_db()
    assert profile.status == EmployerProfile.Status.REJECTED and profile.rejection_reason == "执照模糊"
    recruiter = profile.organization.memberships.get().user
    assert recruiter.notifications.filter(title__contains="未通过").exists()


@pytest.mark.parametrize("role", ["student", "recruiter", "teacher", "university_faculty"])
def test_others_cannot_see_or_use_the_review_queue(client, users, role, settings, tmp_path, regions):
    profile = _pending(client, settings, tmp_path)
    client.force_login(users[role])
    assert client.get("/employment/review/").status_code == 404
    assert client.post(f"/employment/review/{profile.pk}/", {"decision": "approve"}).status_code == 404
    assert client.get(f"/employment/review/{profile.pk}/licence/").status_code == 404
    profile.refresh_from_db()
    assert profile.status == EmployerProfile.Status.PENDING


def test_suspension_hides_the_employers_jobs(client, job, employment_staff, committed):
    client.get(job.get_absolute_url())
    assert client.get(job.get_absolute_url()).status_code == 200
    profile = job.employer.employer_profile
    client.force_login(employment_staff)
    with committed():
        client.post(f"/employment/review/{profile.pk}/", {"decision": "suspend", "reason": "虚假招聘投诉"})
    client.logout()
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get("/employment/jobs/?q=生物制药").context["results"].total == 0
    client.force_login(employment_staff)
    with committed():
        client.post(f"/employment/review/{profile.pk}/", {"decision": "reinstate"})
    client.logout()
    assert client.get(job.get_absolute_url()).status_code == 200
    assert client.get("/employment/jobs/?q=生物制药").context["results"].total == 1
