"""Course engine journey in a real Chromium: a teacher builds a course through the API from a signed-in browser
(a chapter, a unit, a video with subtitles, uploaded through the checked path), publishes it, and a learner opens
the unit, plays and seeks the video (the server answers 206) with its subtitles loaded."""

from typing import Any

import pytest
from playwright.sync_api import expect

from zhijiao.accounts.tests.factories import make_user
from zhijiao.k12.tests.factories import mp4_bytes
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VTT = "WEBVTT\n\n00:00.000 --> 00:03.000\n同学们好，今天讲线性表\n".encode()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_a_teacher_publishes_a_video_unit_and_a_learner_watches_it(live_server: Any, browser: Any) -> None:
    university = make_organization(Organization.Kind.UNIVERSITY, "北京师范大学")
    teacher_user = make_user(phone="13900000201", display_name="赵老师")
    add_member(teacher_user, university, Role.UNIVERSITY_FACULTY)
    make_user(phone="13900000202", display_name="钱同学")
    base = live_server.url
    api = f"{base}/api/v1/courses"

    teacher = sign_in(browser, live_server, "13900000201")
    token = next(c["value"] for c in teacher.context.cookies() if c["name"] == "csrftoken")
    headers = {"X-CSRFToken": token, "Referer": base + "/"}

    def send(path: str, data: dict[str, Any]) -> Any:
        response = teacher.request.post(api + path, data=data, headers=headers)
        assert response.status in (200, 201), response.text()
        return response.json()

    course = send("/", {"title": "数据结构", "university_id": university.pk})
    chapter = send(f"/{course['id']}/nodes", {"kind": "chapter", "title": "第一章 线性表"})
    unit = send(f"/{course['id']}/nodes", {"kind": "unit", "title": "顺序表", "parent_id": chapter["id"]})

    def upload(slot: str, name: str, mime: str, content: bytes) -> int:
        response = teacher.request.post(
            f"{api}/{course['id']}/assets",
            multipart={
                "block_type": "video",
                "slot": slot,
                "file": {"name": name, "mimeType": mime, "buffer": content},
            },
            headers=headers,
        )
        assert response.status == 201, response.text()
        return int(response.json()["id"])

    data = {
        "file": upload("file", "顺序表.mp4", "video/mp4", mp4_bytes()),
        "subtitles": upload("subtitles", "顺序表.vtt", "text/vtt", VTT),
    }
    send(f"/{course['id']}/nodes/{unit['id']}/blocks", {"type": "video", "title": "顺序表讲解", "data": data})
    version = send(f"/{course['id']}/publish", {"note": "第一版"})
    assert version["number"] == 1

    learner = sign_in(browser, live_server, "13900000202")
    media_answers: list[tuple[int, str]] = []
    learner.on(
        "response",
        lambda response: (
            media_answers.append((response.status, response.headers.get("content-range", "")))
            if response.url.endswith("/file")
            else None
        ),
    )
    learner.goto(f"{base}/courses/{course['id']}/units/{unit['content_id']}/")
    expect(learner.get_by_role("heading", level=1)).to_have_text("顺序表")
    expect(learner.locator("video")).to_be_visible()
    learner.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
    learner.wait_for_function("() => document.querySelector('video').currentTime > 0.3", timeout=15000)
    learner.evaluate(
        """() => new Promise((resolve) => {
            const v = document.querySelector('video');
            v.addEventListener('seeked', resolve, { once: true });
            v.currentTime = 3;
        })"""
    )
    assert learner.evaluate("document.querySelector('video').error") is None
    learner.wait_for_function(
        "() => { const t = document.querySelector('video').textTracks[0]; return t && t.cues && t.cues.length > 0; }",
        timeout=15000,
    )
    assert learner.evaluate("document.querySelector('video').textTracks[0].cues[0].text") == "同学们好，今天讲线性表"
    assert any(status == 206 and value.startswith("bytes ") for status, value in media_answers), media_answers
