"""The public orgs API: region tree and organisation directory."""

import pytest

from zhijiao.orgs.models import Organization
from zhijiao.orgs.tests.factories import make_organization, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    haidian = make_region("110108", "海淀区")
    chaoyang = make_region("110105", "朝阳区")
    shanghai = make_region("310000", "上海市")
    return {"haidian": haidian, "chaoyang": chaoyang, "shanghai": shanghai}


def test_provinces_and_children(client, tree):
    provinces = client.get("/api/v1/orgs/regions").json()
    assert [r["code"] for r in provinces] == ["110000", "310000"]
    counties = client.get("/api/v1/orgs/regions?parent=110100").json()
    assert [(r["code"], r["name"], r["level"]) for r in counties] == [("110105", "朝阳区", 3), ("110108", "海淀区", 3)]


def test_region_detail_has_path_and_children(client, tree):
    body = client.get("/api/v1/orgs/regions/110108").json()
    assert [r["code"] for r in body["path"]] == ["110000", "110100", "110108"]
    assert body["children"] == []
    assert client.get("/api/v1/orgs/regions/999999").status_code == 404


def test_bad_region_code_is_a_field_error(client):
    response = client.get("/api/v1/orgs/regions?parent=11")
    assert response.status_code == 422
    assert "parent" in response.json()["fields"]


def test_organization_directory_filters_and_paginates(client, tree):
    make_organization(Organization.Kind.SCHOOL, "海淀实验小学", region=tree["haidian"])
    make_organization(Organization.Kind.SCHOOL, "朝阳实验小学", region=tree["chaoyang"])
    make_organization(Organization.Kind.UNIVERSITY, "上海某大学", region=tree["shanghai"])
    make_organization(Organization.Kind.SCHOOL, "停办的小学", region=tree["haidian"], is_active=False)
    beijing = client.get("/api/v1/orgs/organizations?region=110000").json()
    assert beijing["count"] == 2
    assert {o["name"] for o in beijing["items"]} == {"海淀实验小学", "朝阳实验小学"}
    assert client.get("/api/v1/orgs/organizations?region=110108").json()["count"] == 1
    assert client.get("/api/v1/orgs/organizations?kind=university").json()["items"][0]["name"] == "上海某大学"
    assert client.get("/api/v1/orgs/organizations?q=朝阳").json()["count"] == 1
    page = client.get("/api/v1/orgs/organizations?limit=1&offset=1").json()
    assert (page["count"], len(page["items"]), page["offset"]) == (3, 1, 1)


@pytest.mark.parametrize("query", ["limit=101", "limit=0", "offset=-1", "kind=castle", "limit=abc"])
def test_bad_directory_queries_are_field_errors(client, query):
    response = client.get(f"/api/v1/orgs/organizations?{query}")
    assert response.status_code == 422
    assert response.json()["fields"]


def test_organization_detail(client, tree):
    employer = make_organization(Organization.Kind.EMPLOYER, "北京示例科技有限公司", region=tree["haidian"])
    body = client.get(f"/api/v1/orgs/organizations/{employer.pk}").json()
    assert body["uscc"] == employer.uscc
    assert [r["code"] for r in body["region_path"]] == ["110000", "110100", "110108"]
    assert client.get("/api/v1/orgs/organizations/987654").status_code == 404
    assert client.get("/api/v1/orgs/organizations/abc").status_code == 422
