"""Places as people write them: "北京市海淀区", never "市辖区 海淀区", on every page that shows a location."""

import pytest
from django.template import Context, Template
from django.utils import translation

from zhijiao.orgs.models import Region
from zhijiao.orgs.selectors import region_display_name, region_names
from zhijiao.orgs.tests.factories import make_region

pytestmark = pytest.mark.django_db


def guangdong_nanshan() -> Region:
    province = Region.objects.create(code="440000", name="广东省", level=Region.Level.PROVINCE)
    city = Region.objects.create(code="440300", name="深圳市", level=Region.Level.CITY, parent=province)
    return Region.objects.create(code="440305", name="南山区", level=Region.Level.COUNTY, parent=city)


def test_municipality_districts_drop_the_placeholder_city() -> None:
    haidian = make_region("110108", "海淀区")
    assert region_display_name(haidian) == "北京市海淀区"
    assert region_display_name(Region.objects.get(code="110100")) == "北京市"  # 市辖区
    assert region_display_name(Region.objects.get(code="110000")) == "北京市"


def test_province_city_and_district_join_without_spaces() -> None:
    assert region_display_name(guangdong_nanshan()) == "广东省深圳市南山区"


def test_a_city_level_named_after_its_municipality_is_not_repeated() -> None:
    haidian = make_region("110108", "海淀区")
    Region.objects.filter(code="110100").update(name="北京市")
    assert region_display_name(Region.objects.get(code="110108")) == "北京市海淀区"
    assert haidian.code == "110108"


def test_region_names_reads_full_names_in_one_query(django_assert_num_queries) -> None:
    make_region("110108", "海淀区")
    guangdong_nanshan()
    with django_assert_num_queries(1):
        names = region_names(["110108", "440305", "110100", "999999"])
    assert names == {"110108": "北京市海淀区", "440305": "广东省深圳市南山区", "110100": "北京市"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_place_filter_shows_the_chinese_name_in_both_languages(language: str) -> None:
    """Regions have no English names: English pages show the name people write on letters, in Chinese."""
    region = Region.objects.select_related("parent__parent").get(code=make_region("110108", "海淀区").code)
    with translation.override(language):
        text = Template("{% load places %}{{ region|place }}|{{ none|place }}").render(Context({"region": region}))
    assert text == "北京市海淀区|"
