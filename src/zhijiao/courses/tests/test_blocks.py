"""Block types: rich text keeps no script, event handler or javascript: URL; links are web links; a type
registered from another module (here: a quiz, as the assessment app will) works end to end without touching the
engine; a block whose type disappears shows as unavailable."""

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from zhijiao.accounts.models import User
from zhijiao.courses import blocks
from zhijiao.courses.models import Course

pytestmark = pytest.mark.django_db

API = "/api/v1/courses"


def post(client: Any, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def unit(client: Any, lead: User, course: Course) -> int:
    client.force_login(lead)
    chapter = post(client, f"{API}/{course.pk}/nodes", {"kind": "chapter", "title": "第一章"}).json()["id"]
    return int(
        post(client, f"{API}/{course.pk}/nodes", {"kind": "unit", "title": "单元", "parent_id": chapter}).json()["id"]
    )


def add_block(client: Any, course: Course, unit: int, type_: str, data: dict[str, Any], title: str = "") -> Any:
    return post(client, f"{API}/{course.pk}/nodes/{unit}/blocks", {"type": type_, "title": title, "data": data})


HOSTILE = (
    '<p onclick="steal()">正文<script>alert(1)</script>'
    '<a href="javascript:alert(2)">点我</a><a href="https://example.org/">好链接</a>'
    '<img src=x onerror="alert(3)"><iframe src="https://evil.example/"></iframe>'
    '<span style="background:url(javascript:alert(4))">样式</span><strong>要点</strong></p>'
)


def test_rich_text_keeps_no_script_handler_or_javascript_url(client: Any, course: Course, unit: int) -> None:
    response = add_block(client, course, unit, "richtext", {"html": HOSTILE})
    assert response.status_code == 201
    html = response.json()["data"]["html"]
    for bad in ("<script", "onclick", "onerror", "javascript:", "<iframe", "style=", "<img", "alert(1)"):
        assert bad not in html.lower()
    assert "<strong>要点</strong>" in html
    assert 'href="https://example.org/"' in html and 'rel="noopener noreferrer"' in html


def test_rich_text_is_shown_as_stored_on_the_unit_page(client: Any, lead: User, course: Course, unit: int) -> None:
    add_block(client, course, unit, "richtext", {"html": HOSTILE})
    post(client, f"{API}/{course.pk}/publish", {})
    content_id = client.get(f"{API}/{course.pk}/outline").json()["nodes"][0]["children"][0]["content_id"]
    client.logout()
    page = client.get(f"/courses/{course.pk}/units/{content_id}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<strong>要点</strong>" in text
    assert "steal()" not in text and "javascript:alert" not in text


@pytest.mark.parametrize(
    ("type_", "data", "field"),
    [
        ("richtext", {"html": "   "}, "html"),
        ("richtext", {"html": 5}, "html"),
        ("link", {"url": "javascript:alert(1)"}, "url"),
        ("link", {"url": "ftp://example.org/x"}, "url"),
        ("video", {}, "file"),
        ("video", {"file": "1; drop table"}, "file"),
        ("document", {"file": 987654}, "file"),
        ("nonsense", {}, "type"),
    ],
)
def test_bad_block_data_is_a_field_error(
    client: Any, course: Course, unit: int, type_: str, data: Any, field: str
) -> None:
    response = add_block(client, course, unit, type_, data)
    assert response.status_code == 422
    assert field in response.json()["fields"]


class QuizBlock(blocks.BlockType):
    """A stand-in for the assessment app's quiz: its own data, template and completion rule."""

    name = "test_quiz"
    label = "测验"
    template = "courses/tests/quiz.html"
    completion_label = "答对即完成"
    choices_max: ClassVar[int] = 6

    def clean(self, data: Mapping[str, Any]) -> dict[str, Any]:
        question = str(data.get("question", "")).strip()
        choices = data.get("choices")
        if not question:
            raise ValidationError({"question": ["请填写题目"]})
        if not isinstance(choices, list) or not 2 <= len(choices) <= self.choices_max:
            raise ValidationError({"choices": ["请给出 2 到 6 个选项"]})
        return {"question": question, "choices": [str(choice) for choice in choices]}

    def is_complete(self, data: Mapping[str, Any], state: Mapping[str, Any]) -> bool:
        return bool(state.get("correct"))


@pytest.fixture
def quiz_type(settings: Any, tmp_path: Any) -> Iterator[QuizBlock]:
    folder = tmp_path / "templates" / "courses" / "tests"
    folder.mkdir(parents=True)
    (folder / "quiz.html").write_text(
        '<div class="quiz">{{ data.question }}{% for c in data.choices %}<label>{{ c }}</label>{% endfor %}</div>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [str(tmp_path / "templates"), *settings.TEMPLATES[0]["DIRS"]]}
    ]
    quiz = QuizBlock()
    blocks.register(quiz)
    yield quiz
    blocks.unregister(QuizBlock.name)


def test_a_type_registered_elsewhere_works_without_touching_the_engine(
    client: Any, course: Course, unit: int, quiz_type: QuizBlock
) -> None:
    assert "test_quiz" in [item["name"] for item in client.get(f"{API}/block-types").json()]
    bad = add_block(client, course, unit, "test_quiz", {"question": "1+1=?", "choices": ["2"]})
    assert bad.status_code == 422 and "choices" in bad.json()["fields"]
    good = add_block(client, course, unit, "test_quiz", {"question": "1+1=?", "choices": ["1", "2", "3"]})
    assert good.status_code == 201
    assert post(client, f"{API}/{course.pk}/publish", {}).status_code == 201
    unit_entry = client.get(f"{API}/{course.pk}/outline").json()["nodes"][0]["children"][0]
    assert unit_entry["blocks"][0]["data"]["choices"] == ["1", "2", "3"]
    page = client.get(f"/courses/{course.pk}/units/{unit_entry['content_id']}/")
    assert '<div class="quiz">1+1=?<label>1</label><label>2</label><label>3</label></div>' in page.content.decode()
    assert quiz_type.is_complete({}, {"correct": True}) and not quiz_type.is_complete({}, {})


def test_a_block_whose_type_is_gone_shows_as_unavailable(
    client: Any, course: Course, unit: int, quiz_type: QuizBlock
) -> None:
    add_block(client, course, unit, "test_quiz", {"question": "1+1=?", "choices": ["1", "2"]})
    post(client, f"{API}/{course.pk}/publish", {})
    blocks.unregister("test_quiz")
    content_id = client.get(f"{API}/{course.pk}/outline").json()["nodes"][0]["children"][0]["content_id"]
    page = client.get(f"/courses/{course.pk}/units/{content_id}/")
    assert page.status_code == 200
    assert "此内容暂不可用" in page.content.decode()


def test_two_types_cannot_share_a_name() -> None:
    class Impostor(blocks.BlockType):
        name = "video"
        label = "冒名"
        template = "x.html"

    with pytest.raises(ImproperlyConfigured):
        blocks.register(Impostor())
    assert isinstance(blocks.get_type("video"), blocks.VideoBlock)


def test_what_counts_as_done() -> None:
    video = blocks.get_type("video")
    text = blocks.get_type("richtext")
    assert video is not None and text is not None
    assert video.is_complete({}, {"watched": 0.95}) and not video.is_complete({}, {"watched": 0.5, "opened": True})
    assert not video.is_complete({}, {"watched": "lots"})
    assert text.is_complete({}, {"viewed": True}) and not text.is_complete({}, {})


def test_a_video_resumes_where_the_learner_stopped() -> None:
    block = {
        "type": "video",
        "content_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "title": "第一讲",
        "data": {"file": 7},
    }
    assets = {"7": {"name": "a.mp4", "mime_type": "video/mp4", "size_bytes": 10, "duration_seconds": 300}}
    html = blocks.render_block(block, course_id=3, assets=assets, state={"position": 42})
    assert '/courses/3/media/0f8fad5b-d9cb-469f-a165-70867728950e/file#t=42"' in html
    assert 'type="video/mp4"' in html
