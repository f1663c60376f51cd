"""Streaming with HTTP Range: 206 with Content-Range, 416 past the end, iOS Safari's bytes=0-1 probe, caching."""

from typing import Any

import pytest

from zhijiao.k12.models import Lesson, Resource

from .factories import make_resource, mp4_bytes

pytestmark = pytest.mark.django_db


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def video(lesson: Lesson) -> Resource:
    return make_resource(lesson=lesson)


def test_whole_file_advertises_ranges(client: Any, video: Resource) -> None:
    response = client.get(f"/k12/resources/{video.pk}/file")
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert int(response["Content-Length"]) == len(mp4_bytes())
    assert response["ETag"] and response["Last-Modified"]
    assert _body(response) == mp4_bytes()


def test_ios_probe_gets_two_bytes(client: Any, video: Resource) -> None:
    response = client.get(f"/k12/resources/{video.pk}/file", HTTP_RANGE="bytes=0-1")
    size = len(mp4_bytes())
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-1/{size}"
    assert response["Content-Length"] == "2"
    assert _body(response) == mp4_bytes()[:2]


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=100-199", 100, 199), ("bytes=500-", 500, None), ("bytes=-50", None, None)],
)
def test_ranges_serve_exact_bytes(client: Any, video: Resource, header: str, first: Any, last: Any) -> None:
    data = mp4_bytes()
    size = len(data)
    response = client.get(f"/k12/resources/{video.pk}/file", HTTP_RANGE=header)
    assert response.status_code == 206
    start = first if first is not None else size - 50
    end = last if last is not None else size - 1
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert _body(response) == data[start : end + 1]


@pytest.mark.parametrize("header", ["bytes=99999999-", "bytes=-0"])
def test_unsatisfiable_range_answers_416(client: Any, video: Resource, header: str) -> None:
    response = client.get(f"/k12/resources/{video.pk}/file", HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(mp4_bytes())}"


@pytest.mark.parametrize("header", ["bytes=5-2", "items=0-5", "bytes=0-1,4-5", "garbage"])
def test_malformed_or_multiple_ranges_get_the_whole_file(client: Any, video: Resource, header: str) -> None:
    response = client.get(f"/k12/resources/{video.pk}/file", HTTP_RANGE=header)
    assert response.status_code == 200
    assert _body(response) == mp4_bytes()


def test_conditional_requests(client: Any, video: Resource) -> None:
    first = client.get(f"/k12/resources/{video.pk}/file")
    etag = first["ETag"]
    assert client.get(f"/k12/resources/{video.pk}/file", HTTP_IF_NONE_MATCH=etag).status_code == 304
    stale = client.get(f"/k12/resources/{video.pk}/file", HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"other"')
    assert stale.status_code == 200
    fresh = client.get(f"/k12/resources/{video.pk}/file", HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert fresh.status_code == 206


def test_head_and_download(client: Any, video: Resource) -> None:
    head = client.head(f"/k12/resources/{video.pk}/file", HTTP_RANGE="bytes=0-1")
    assert head.status_code == 206 and head["Content-Length"] == "2"
    download = client.get(f"/k12/resources/{video.pk}/file?download=1")
    assert download["Content-Disposition"].startswith("attachment")


def test_pdf_is_served_inline_for_the_preview_frame(client: Any, lesson: Lesson) -> None:
    document = make_resource(lesson=lesson, kind=Resource.Kind.DOCUMENT)
    response = client.get(f"/k12/resources/{document.pk}/file")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    page = client.get(f"/k12/resources/{document.pk}/").content.decode()
    assert f'<iframe class="k12-pdf" src="/k12/resources/{document.pk}/file"' in page
    assert "?download=1" in page


def test_unpublished_media_is_hidden_from_others(client: Any, lesson: Lesson, teacher: Any, student: Any) -> None:
    draft = make_resource(lesson=lesson, status=Resource.Status.DRAFT, owner=teacher)
    assert client.get(f"/k12/resources/{draft.pk}/file").status_code == 404
    client.force_login(student)
    assert client.get(f"/k12/resources/{draft.pk}/file").status_code == 404
    client.force_login(teacher)
    own = client.get(f"/k12/resources/{draft.pk}/file")
    assert own.status_code == 200 and "private" in own["Cache-Control"]
