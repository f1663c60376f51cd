"""Test data for the portal: articles and topics, made through the portal's services."""

import itertools
from datetime import timedelta

from django.db import models
from django.utils import timezone

from zhijiao.core.platforms import Platform
from zhijiao.portal.models import Article, Topic, TopicItem
from zhijiao.portal.services import article_create, topic_create, topic_item_add

_seq = itertools.count(1)


def make_article(platform: str = Platform.PORTAL, title: str | None = None, **fields: object) -> Article:
    n = next(_seq)
    fields.setdefault(
        "body", "教育部召开新闻发布会，介绍国家智慧教育公共服务平台建设与应用情况。\n平台汇聚优质资源，服务师生。"
    )
    fields.setdefault("summary", "平台建设与应用情况介绍。")
    fields.setdefault("source", "教育部")
    # Older articles first, so the newest is the one made last.
    fields.setdefault("published_at", timezone.now() - timedelta(days=1) + timedelta(seconds=n))
    return article_create(platform=platform, title=title or f"智慧教育资讯第{n}期", **fields)  # type: ignore[arg-type]


def make_topic(title: str | None = None, **fields: object) -> Topic:
    n = next(_seq)
    fields.setdefault("description", "汇集各平台的相关资讯、课程与资源。")
    return topic_create(title=title or f"测试专题{n}", slug=str(fields.pop("slug", f"topic-{n}")), **fields)  # type: ignore[arg-type]


def add_topic_item(topic: Topic, obj: models.Model, note: str = "") -> TopicItem:
    return topic_item_add(topic=topic, obj=obj, note=note)
