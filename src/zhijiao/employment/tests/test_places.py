"""A job's places read as people write them ("北京市海淀区"), on the job list, the job page and the agreement."""

import pytest
from django.utils import translation

from zhijiao.employment import services
from zhijiao.employment.models import Agreement, Application
from zhijiao.employment.tests.factories import make_job
from zhijiao.orgs.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def placeholder_city(regions):
    """The real GB/T 2260 name of Beijing's city level, which must never be shown."""
    Region.objects.filter(code="110100").update(name="市辖区")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_job_list_and_page_name_the_district_with_its_municipality(
    client, recruiter, employer, placeholder_city, committed, language
):
    with committed():
        job = make_job(recruiter, employer)
    client.cookies["zj_lang"] = language
    listing = client.get("/employment/jobs/").content.decode()
    page = client.get(job.get_absolute_url()).content.decode()
    for html in (listing, page):
        assert "北京市海淀区" in html
        assert "市辖区" not in html
    translation.deactivate()


def test_the_agreement_names_the_full_place(graduate_user, resume, job, recruiter, placeholder_city):
    application = services.application_submit(graduate=graduate_user, job=job, resume=resume)
    services.application_move(actor=recruiter, application=application, status=Application.Status.OFFER)
    services.application_respond(graduate=graduate_user, application=application, accept=True)
    agreement = Agreement.objects.get()
    assert agreement.terms["work_place"] == "北京市海淀区"
    assert "工作地点：北京市海淀区" in agreement.text
