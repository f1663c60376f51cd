"""The hottest courses: course page views (counted for the higher-education platform, rolled up by analytics) plus
enrolments, on /higher/ and /api/v1/higher/courses/hot; and courses among the portal's hottest items (the home
page's hot list and /data/); a 大思政课 topic holds courses."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhijiao.accounts.models import User
from zhijiao.analytics import services as analytics
from zhijiao.analytics.models import PageView
from zhijiao.analytics.tests.conftest import BROWSER
from zhijiao.analytics.tests.factories import record
from zhijiao.core.platforms import Platform
from zhijiao.courses.models import Course
from zhijiao.courses.tests.factories import make_course
from zhijiao.portal.tests.factories import add_topic_item, make_article, make_topic

pytestmark = pytest.mark.django_db

API = "/api/v1/higher"


@pytest.fixture(autouse=True)
def _fresh_analytics() -> None:
    analytics.flush_wait()
    analytics.buffer_clear()


def viewed(course: Course, times: int, *, days_ago: int = 0) -> None:
    record(
        day=timezone.localdate() - timedelta(days=days_ago),
        platform=Platform.HIGHER,
        obj=("courses.course", course.pk),
        times=times,
    )


def hot_titles(client: Client) -> list[str]:
    return [row["title"] for row in client.get(f"{API}/courses/hot").json()]


def test_a_course_page_counts_as_a_view_of_the_course_for_higher_education(client: Client, publish: Any) -> None:
    course = publish("大学生心理健康")
    assert client.get(course.get_absolute_url(), HTTP_USER_AGENT=BROWSER).status_code == 200
    analytics.pageviews_flush()
    (view,) = PageView.objects.all()
    assert (view.platform, view.object_type, view.object_id) == ("higher", "courses.course", course.pk)


def test_the_ten_hottest_add_recent_page_views_to_enrolments(client: Client, publish: Any, lead: User) -> None:
    viewed_most = publish("走近冬奥会", enrolments=100)
    publish("大学生心理健康", enrolments=500)
    publish("院士带你认识新冠肺炎", enrolments=150)
    old_views = publish("去年很火的课", enrolments=10)
    draft = make_course(lead=lead, title="没发布的课")
    viewed(viewed_most, 450)  # 100 + 450 = 550 > 500
    viewed(old_views, 1000, days_ago=40)  # older than the last 30 days: not counted
    viewed(draft, 5000)
    analytics.pageviews_rollup()
    assert hot_titles(client) == ["走近冬奥会", "大学生心理健康", "院士带你认识新冠肺炎", "去年很火的课"]
    hot = client.get(f"{API}/courses/hot").json()
    assert (hot[0]["views"], hot[0]["enrolment_count"]) == (450, 100)
    page = client.get("/higher/").content.decode()
    section = page[page.index('id="hot-courses"') :]
    section = section[: section.index("</ol>")]
    assert section.index("走近冬奥会") < section.index("大学生心理健康") < section.index("院士带你认识新冠肺炎")
    assert "没发布的课" not in section


def test_at_most_ten_hottest(client: Client, lead: User, bnu: Any) -> None:
    from .conftest import bulk_published

    bulk_published(lead, bnu, 14)
    assert hot_titles(client) == [f"批量课程{n:03d}" for n in range(13, 3, -1)]


def test_courses_are_among_the_portals_hottest_items_on_the_home_page_and_data(
    client: Client, publish: Any, lead: User
) -> None:
    course = publish("大学生心理健康")
    article = make_article(Platform.PORTAL, "教育部发布新学期通知")
    draft = make_course(lead=lead, title="没发布的草稿课")
    viewed(course, 30)
    viewed(draft, 90)
    record(day=timezone.localdate(), platform=Platform.PORTAL, obj=("portal.article", article.pk), times=10)
    analytics.pageviews_rollup()
    for url in ("/", "/data/"):
        page = client.get(url).content.decode()
        hot = page[page.index('class="article-list hot-list"') :]
        hot = hot[: hot.index("</ol>")]
        assert hot.index("大学生心理健康") < hot.index("教育部发布新学期通知"), url
        assert f'href="{course.get_absolute_url()}"' in hot and "高等教育" in hot
        assert "没发布的草稿课" not in hot
    stats = client.get("/api/v1/stats/hot").json()
    assert stats[0]["title"] == "大学生心理健康"


def test_a_topic_holds_courses_and_resources_and_leaves_drafts_out(client: Client, publish: Any, lead: User) -> None:
    topic = make_topic("大思政课", slug="da-si-zheng-ke")
    course = publish("马克思主义基本原理", code="0305")
    draft = make_course(lead=lead, title="习近平新时代中国特色社会主义思想概论（草稿）")
    article = make_article(Platform.PORTAL, "用好“大思政课”这本教科书")
    add_topic_item(topic, course, note="国家级一流本科课程")
    add_topic_item(topic, draft)
    add_topic_item(topic, article)
    page = client.get("/topics/da-si-zheng-ke/").content.decode()
    assert f'href="{course.get_absolute_url()}"' in page and "马克思主义基本原理" in page
    assert "用好“大思政课”这本教科书" in page
    assert "（草稿）" not in page
