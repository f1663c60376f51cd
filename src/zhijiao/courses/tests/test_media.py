"""Media blocks: files go through the checked upload path (by content and size), subtitles must be WebVTT, a block
uses only files uploaded to its course, and learners stream the published video with byte ranges."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhijiao.accounts.models import User
from zhijiao.courses.models import Asset, Course
from zhijiao.k12.tests.factories import mp4_bytes, pdf_bytes, png_bytes

from .factories import make_course

pytestmark = pytest.mark.django_db

API = "/api/v1/courses"
VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\n同学们好\n".encode()


def post(client: Any, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def upload(client: Any, course: Course, block_type: str, slot: str, name: str, content: bytes) -> Any:
    return client.post(
        f"{API}/{course.pk}/assets",
        {"block_type": block_type, "slot": slot, "file": SimpleUploadedFile(name, content)},
    )


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def unit(client: Any, lead: User, course: Course) -> int:
    client.force_login(lead)
    chapter = post(client, f"{API}/{course.pk}/nodes", {"kind": "chapter", "title": "第一章"}).json()["id"]
    return int(
        post(client, f"{API}/{course.pk}/nodes", {"kind": "unit", "title": "单元", "parent_id": chapter}).json()["id"]
    )


def test_a_video_with_poster_and_subtitles_streams_with_ranges(
    client: Any, lead: User, course: Course, unit: int, student: User
) -> None:
    video = upload(client, course, "video", "file", "第一讲.mp4", mp4_bytes())
    assert video.status_code == 201, video.json()
    assert video.json()["mime_type"] == "video/mp4" and video.json()["duration_seconds"] >= 3
    poster = upload(client, course, "video", "poster", "封面.png", png_bytes()).json()["id"]
    subtitles = upload(client, course, "video", "subtitles", "字幕.vtt", VTT).json()["id"]
    data = {"file": video.json()["id"], "poster": poster, "subtitles": subtitles}
    assert (
        post(
            client, f"{API}/{course.pk}/nodes/{unit}/blocks", {"type": "video", "title": "第一讲", "data": data}
        ).status_code
        == 201
    )
    post(client, f"{API}/{course.pk}/publish", {})

    client.force_login(student)
    outline = client.get(f"{API}/{course.pk}/outline").json()
    block = outline["nodes"][0]["children"][0]["blocks"][0]
    assert set(block["media"]) == {"file", "poster", "subtitles"}
    ranged = client.get(block["media"]["file"], HTTP_RANGE="bytes=0-1")
    size = len(mp4_bytes())
    assert ranged.status_code == 206 and ranged["Content-Range"] == f"bytes 0-1/{size}"
    assert body(ranged) == mp4_bytes()[:2]
    assert client.get(block["media"]["subtitles"])["Content-Type"] == "text/vtt"
    page = client.get(
        f"/courses/{course.pk}/units/{outline['nodes'][0]['children'][0]['content_id']}/"
    ).content.decode()
    assert (
        f'src="{block["media"]["file"]}"' in page
        and 'kind="subtitles"' in page
        and f'poster="{block["media"]["poster"]}"' in page
    )


@pytest.mark.parametrize(
    ("block_type", "slot", "name", "content", "code"),
    [
        ("video", "file", "讲义.pdf", "pdf", "wrong_type"),
        ("video", "file", "第一讲.pdf", "mp4", "lying_extension"),
        ("document", "file", "空.pdf", "", "empty"),
        ("video", "subtitles", "字幕.vtt", "srt", "wrong_type"),
        ("video", "subtitles", "字幕.txt", "vtt", "lying_extension"),
        ("image", "file", "图.png", "pdf", "wrong_type"),
    ],
)
def test_uploads_are_checked_by_content(
    client: Any, course: Course, unit: int, block_type: str, slot: str, name: str, content: str, code: str
) -> None:
    makers: dict[str, Callable[[], bytes]] = {
        "pdf": pdf_bytes,
        "mp4": mp4_bytes,
        "": lambda: b"",
        "srt": lambda: b"1\n00:00:00,000 --> 00:00:02,000\nhi\n",
        "vtt": lambda: VTT,
    }
    raw = makers[content]()
    response = upload(client, course, block_type, slot, name, raw)
    assert response.status_code == 422
    assert "file" in response.json()["fields"]
    assert not Asset.objects.exists()


def test_a_slot_the_type_does_not_have_is_refused(client: Any, course: Course, unit: int) -> None:
    response = upload(client, course, "richtext", "file", "图.png", png_bytes())
    assert response.status_code == 422 and "slot" in response.json()["fields"]


def test_a_block_cannot_use_another_courses_file(client: Any, lead: User, course: Course, unit: int) -> None:
    other = make_course(lead=lead)
    foreign = upload(client, other, "document", "file", "讲义.pdf", pdf_bytes()).json()["id"]
    response = post(client, f"{API}/{course.pk}/nodes/{unit}/blocks", {"type": "document", "data": {"file": foreign}})
    assert response.status_code == 422 and "file" in response.json()["fields"]


def test_draft_media_only_for_the_team(client: Any, lead: User, course: Course, unit: int, student: User) -> None:
    pdf = upload(client, course, "document", "file", "讲义.pdf", pdf_bytes()).json()["id"]
    post(client, f"{API}/{course.pk}/nodes/{unit}/blocks", {"type": "document", "data": {"file": pdf}})
    block = client.get(f"{API}/{course.pk}/draft").json()["nodes"][0]["children"][0]["blocks"][0]
    url = block["media"]["file"]
    assert url.endswith("?draft=1")
    own = client.get(url)
    assert own.status_code == 200 and own["Cache-Control"].startswith("private")
    client.force_login(student)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["student", "anonymous"])
def test_only_the_team_uploads(client: Any, course: Course, student: User, who: str) -> None:
    client.logout()
    if who == "student":
        client.force_login(student)
    response = upload(client, course, "document", "file", "讲义.pdf", pdf_bytes())
    assert response.status_code in {"student": (404,), "anonymous": (401,)}[who]
    assert not Asset.objects.exists()
