"""The page frame drawn once (``{% fixed %}``) reads as it would drawn each time: per language and section."""

from typing import Any

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

from zhijiao.core.templatetags import fragments

pytestmark = pytest.mark.django_db


def test_the_frame_follows_the_section_and_the_language(client: Any, student: Any) -> None:
    home = client.get("/").content.decode()
    k12 = client.get("/k12/").content.decode()
    assert 'aria-current="page">中小学' in k12
    assert 'aria-current="page">中小学' not in home
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Search" in english and "全站搜索" in home
    client.force_login(student)
    signed_in = client.get("/k12/").content.decode()
    # the person's part of the header is drawn per request, beside the fixed frame
    assert str(student) in signed_in and 'aria-current="page">中小学' in signed_in


def test_a_fixed_block_is_drawn_once_per_key() -> None:
    fragments._drawn.clear()
    template = Template('{% load fragments %}{% fixed "t" section %}[{{ section }}{{ other }}]{% endfixed %}')
    assert template.render(Context({"section": "a", "other": 1})) == "[a1]"
    assert template.render(Context({"section": "a", "other": 2})) == "[a1]"  # not a listed value: kept
    assert template.render(Context({"section": "b", "other": 2})) == "[b2]"
    with translation.override("en"):
        assert template.render(Context({"section": "a", "other": 3})) == "[a3]"


def test_a_csrf_token_cannot_be_fixed() -> None:
    with pytest.raises(TemplateSyntaxError):
        Template('{% load fragments %}{% fixed "form" %}{% csrf_token %}{% endfixed %}')
    with pytest.raises(TemplateSyntaxError):
        Template("{% load fragments %}{% fixed unquoted %}x{% endfixed %}")
