"""Places and universities are chosen by name on the employment pages (core/choosers.py), never by code."""

import pytest
from django.core.cache import cache

from zhijiao.accounts.tests.factories import make_user
from zhijiao.employment import services
from zhijiao.employment.models import Job, JobShare, PushPreference
from zhijiao.employment.tests.factories import job_data, make_graduate
from zhijiao.employment.tests.test_jobs import _form
from zhijiao.orgs.models import Organization, Region
from zhijiao.orgs.tests.factories import make_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def chaoyang(regions):
    """Two places called 朝阳: 北京市朝阳区 and 辽宁省朝阳市."""
    beijing_city = Region.objects.get(code="110100")
    liaoning = Region.objects.create(code="210000", name="辽宁省", level=1)
    return {
        "beijing": Region.objects.create(code="110105", name="朝阳区", level=3, parent=beijing_city),
        "liaoning": Region.objects.create(code="211300", name="朝阳市", level=2, parent=liaoning),
    }


def test_a_recruiter_types_place_names_for_a_job(client, recruiter, employer, committed):
    client.force_login(recruiter)
    with committed():
        response = client.post(
            "/employment/jobs/new/", {**_form(region_codes=""), "region_codes_q": "北京 海淀、上海 浦东"}
        )
    job = Job.objects.get()
    assert response.status_code == 302
    assert sorted(job.locations.values_list("region_id", flat=True)) == ["110108", "310115"]
    # editing shows the places by their full names, not their codes
    page = client.get(f"/employment/jobs/{job.pk}/edit/").content.decode()
    assert "北京市海淀区" in page and "上海市浦东新区" in page


def test_an_ambiguous_place_offers_a_choice_and_the_choice_is_taken(
    client, university, employment_staff, employer, chaoyang, committed
):
    with committed():
        job = services.job_create(
            actor=employment_staff, employer=employer, university=university, data=job_data(), publish=True
        )
    client.force_login(employment_staff)
    ambiguous = client.post(f"/employment/jobs/{job.pk}/share/", {"region_code_q": "朝阳"})
    page = ambiguous.content.decode()
    assert ambiguous.status_code == 422
    assert "“朝阳”对应多项" in page
    assert 'type="radio" name="region_code" value="110105"' in page and "辽宁省朝阳市" in page
    assert not JobShare.objects.exists()
    chosen = client.post(f"/employment/jobs/{job.pk}/share/", {"region_code_q": "朝阳", "region_code": "110105"})
    assert chosen.status_code == 302
    assert JobShare.objects.get().target_region_id == "110105"
    # "北京 朝阳" says which one at once
    client.post(f"/employment/jobs/{job.pk}/share/", {"region_code_q": "辽宁 朝阳"})
    assert set(JobShare.objects.values_list("target_region_id", flat=True)) == {"110105", "211300"}


def test_a_university_is_shared_with_by_name(client, university, employment_staff, employer, regions, committed):
    other = make_organization(Organization.Kind.UNIVERSITY, "上海某大学", region=regions["pudong"])
    with committed():
        job = services.job_create(
            actor=employment_staff, employer=employer, university=university, data=job_data(), publish=True
        )
    client.force_login(employment_staff)
    response = client.post(f"/employment/jobs/{job.pk}/share/", {"university_q": "上海某大学"})
    assert response.status_code == 302
    assert JobShare.objects.get().target_organization == other


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh-hans", "没有找到“火星”"), ("en", "Nothing called “火星” was found")],
)
def test_an_unknown_place_is_a_field_error_in_both_languages_and_changes_nothing(
    client, university, regions, language, message
):
    graduate = make_graduate(make_user(), university)
    client.force_login(graduate.user)
    client.post("/employment/me/push/", {"region_codes": "110000", "enabled": "on"})
    before = list(PushPreference.objects.values_list("kind", "value"))
    response = client.post(
        "/employment/me/push/", {"region_codes_q": "上海、火星", "enabled": "on"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert list(PushPreference.objects.values_list("kind", "value")) == before


def test_a_forged_value_is_a_field_error_not_a_500(client, recruiter, employer):
    client.force_login(recruiter)
    response = client.post("/employment/jobs/new/", _form(region_codes="999999"))
    assert response.status_code == 422
    assert "所选的一项不存在或您不能选择" in response.content.decode()
    assert not Job.objects.exists()


def test_the_job_search_takes_a_place_name(client, regions):
    response = client.get("/employment/jobs/", {"region_q": "北京"})
    assert response.status_code == 200
    assert response.context["query"].region == "110000"
    assert 'value="北京市"' in response.content.decode()


def test_the_graduate_names_their_university(client, university, regions):
    client.force_login(make_user(display_name="王同学"))
    response = client.post(
        "/employment/me/",
        {
            "university_q": "北京师范",
            "graduation_year": "2026",
            "real_name": "王小明",
            "major": "计算机科学与技术",
            "discipline": "08",
            "education": "3",
        },
    )
    assert response.status_code == 302
    assert response.wsgi_request.user.graduate.university == university


def test_region_options_show_full_names_and_aliases(client, regions, chaoyang):
    assert "北京市海淀区" in client.get("/choose/regions/", {"q": "海淀"}).content.decode()
    assert "北京市" in client.get("/choose/regions/", {"q": "京"}).content.decode()
    both = client.get("/choose/regions/", {"region_q": "朝阳"}).content.decode()
    assert "北京市朝阳区" in both and "辽宁省朝阳市" in both
    assert 'role="option"' in both


def test_the_university_chooser_refuses_visitors(client, university):
    assert client.get("/choose/universities/", {"q": "北京"}).status_code == 403
    assert client.get("/choose/nothing-like-this/", {"q": "北京"}).status_code == 404


@pytest.mark.parametrize("typed", ["北京海淀", "北京市海淀区", "北京 海淀", "北京海淀区"])
def test_a_place_typed_without_spaces_is_found(client, regions, typed):
    options = client.get("/choose/regions/", {"q": typed}).content.decode()
    assert options.count('role="option"') == 1 and "北京市海淀区" in options


def test_places_typed_together_narrow_the_way_words_do(client, regions, chaoyang):
    options = client.get("/choose/regions/", {"q": "辽宁朝阳"}).content.decode()
    assert "辽宁省朝阳市" in options and "北京市朝阳区" not in options
    assert "上海市浦东新区" in client.get("/choose/regions/", {"q": "上海浦东"}).content.decode()
    nothing = client.get("/choose/regions/", {"q": "北京浦东"}).content.decode()
    assert 'role="option"' not in nothing


def test_the_job_search_takes_a_place_typed_without_spaces(client, regions):
    response = client.get("/employment/jobs/", {"region_q": "北京海淀"})
    assert response.status_code == 200
    assert response.context["query"].region == "110108"


def test_asking_for_options_too_often_is_refused_for_a_while(client, regions, settings):
    cache.clear()
    settings.CHOOSER_RATE = "3/min"
    answers = [client.get("/choose/regions/", {"q": "海淀"}) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0 and "操作过于频繁，请稍后再试" in answers[-1].content.decode()
    client.cookies["zj_lang"] = "en"
    assert "Too many" in client.get("/choose/regions/", {"q": "海淀"}).content.decode()


def test_each_signed_in_person_has_their_own_allowance(client, regions, settings, recruiter, employment_staff):
    cache.clear()
    settings.CHOOSER_RATE = "2/min"
    client.force_login(recruiter)
    assert [client.get("/choose/regions/", {"q": "海淀"}).status_code for _ in range(3)] == [200, 200, 429]
    client.force_login(employment_staff)  # the same address, another person
    assert client.get("/choose/regions/", {"q": "海淀"}).status_code == 200
