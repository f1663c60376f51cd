"""Staff curate topics and articles in the admin."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.platforms import Platform
from zhijiao.orgs.models import Organization
from zhijiao.orgs.tests.factories import make_organization
from zhijiao.portal.models import Article, Topic, TopicItem

from .factories import add_topic_item, make_article, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(make_user(display_name="平台管理员", is_staff=True, is_superuser=True))
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def png(size: tuple[int, int] = (32, 18), fmt: str = "PNG", name: str = "cover.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (26, 86, 219)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def topic_form(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "北京冬奥精神",
        "slug": "winter-olympics",
        "description": "胸怀大局、自信开放、迎难而上、追求卓越、共创未来。",
        "position": "0",
        "is_published": "on",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def test_staff_create_a_topic_with_a_cover_and_items(admin_client: Client) -> None:
    article = make_article(Platform.PORTAL, "冬奥会志愿者的故事")
    university = make_organization(Organization.Kind.UNIVERSITY, "北京体育大学")
    article_type = ContentType.objects.get_for_model(Article)
    org_type = ContentType.objects.get_for_model(Organization)
    data = topic_form(
        cover=png(),
        **{
            "items-TOTAL_FORMS": "2",
            "items-0-position": "1",
            "items-0-content_type": str(org_type.pk),
            "items-0-object_id": str(university.pk),
            "items-0-note": "",
            "items-1-position": "0",
            "items-1-content_type": str(article_type.pk),
            "items-1-object_id": str(article.pk),
            "items-1-note": "推荐阅读",
        },
    )
    response = admin_client.post("/admin/portal/topic/add/", data)
    assert response.status_code == 302, response.content.decode()
    topic = Topic.objects.get(slug="winter-olympics")
    assert (topic.cover.name or "").startswith("topics/")
    assert [item.object_id for item in topic.items.all()] == [article.pk, university.pk]

    change = admin_client.get(f"/admin/portal/topic/{topic.pk}/change/").content.decode()
    assert "冬奥会志愿者的故事" in change  # the resolved title, read-only
    assert "北京体育大学" in change

    page = Client().get("/topics/winter-olympics/").content.decode()
    assert f"/media/{topic.cover.name}" in page


def test_oversized_cover_is_refused_with_a_clear_message(admin_client: Client, settings) -> None:
    settings.UPLOAD_IMAGE_MAX_BYTES = 1024 * 1024
    response = admin_client.post("/admin/portal/topic/add/", topic_form(cover=png(size=(2400, 2400), fmt="BMP")))
    assert response.status_code == 200
    assert "封面图片不能超过 1 MB" in response.content.decode()
    assert not Topic.objects.exists()


def test_cover_that_is_not_an_allowed_picture_is_refused(admin_client: Client) -> None:
    fake = SimpleUploadedFile("cover.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/png")
    response = admin_client.post("/admin/portal/topic/add/", topic_form(cover=fake))
    assert response.status_code == 200
    assert not Topic.objects.exists()
    bmp = admin_client.post("/admin/portal/topic/add/", topic_form(cover=png(fmt="BMP", name="cover.bmp")))
    assert "封面必须是 JPEG、PNG、WebP 或 GIF 格式的图片" in bmp.content.decode()
    assert not Topic.objects.exists()


def test_topic_item_must_point_at_existing_topic_content(admin_client: Client) -> None:
    topic = make_topic("心理健康", slug="mental-health")
    user_type = ContentType.objects.get(app_label="accounts", model="user")
    article_type = ContentType.objects.get_for_model(Article)
    data = topic_form(
        title=topic.title,
        slug=topic.slug,
        **{
            "items-TOTAL_FORMS": "1",
            "items-0-position": "0",
            "items-0-content_type": str(article_type.pk),
            "items-0-object_id": "987654",
        },
    )
    response = admin_client.post(f"/admin/portal/topic/{topic.pk}/change/", data)
    assert response.status_code == 200
    assert "找不到编号为 987654 的文章" in response.content.decode()
    data["items-0-content_type"] = str(user_type.pk)
    data["items-0-object_id"] = "1"
    response = admin_client.post(f"/admin/portal/topic/{topic.pk}/change/", data)
    assert response.status_code == 200
    assert not TopicItem.objects.exists()


def test_article_admin_lists_filters_searches_and_publishes(admin_client: Client) -> None:
    draft = make_article(Platform.K12, "待审核的中小学通知", is_published=False)
    make_article(Platform.HIGHER, "慕课上线")
    listing = admin_client.get("/admin/portal/article/", {"platform": "k12", "q": "中小学"})
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "待审核的中小学通知" in body
    assert "慕课上线" not in body
    response = admin_client.post(
        "/admin/portal/article/", {"action": "publish", "_selected_action": [str(draft.pk)]}, follow=True
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.is_published
    assert Client().get(f"/articles/{draft.pk}/").status_code == 200


def test_topic_admin_changelist_and_withdraw(admin_client: Client) -> None:
    topic = make_topic("抗击疫情", slug="fight-epidemic")
    add_topic_item(topic, make_article(Platform.PORTAL, "抗疫一线的老师们"))
    assert admin_client.get("/admin/portal/topic/").status_code == 200
    admin_client.post("/admin/portal/topic/", {"action": "withdraw", "_selected_action": [str(topic.pk)]})
    topic.refresh_from_db()
    assert not topic.is_published
    assert Client().get("/topics/fight-epidemic/").status_code == 404


def test_non_staff_cannot_reach_the_topic_admin(client: Client) -> None:
    client.force_login(make_user())
    response = client.get("/admin/portal/topic/add/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
