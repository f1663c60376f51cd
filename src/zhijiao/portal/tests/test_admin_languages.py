"""The staff screens read in one language too: every registered model's list, add form and one change form, and
the admin's index, in Chinese and in English, for a superuser and for a staff member who is not one."""

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from zhijiao.accounts.tests.factories import make_user

from .languages import UserContent, foreign_text, readable_text
from .test_languages import LANGUAGES, World, world  # noqa: F401 - the same world as the pages' crawl


@dataclass
class AdminCrawl:
    pages: dict[str, set[str]] = field(default_factory=dict)  # language → URLs read (by anyone)
    read: dict[tuple[str, str], int] = field(default_factory=dict)  # (who, language) → pages read
    findings: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (language, text) → URLs
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def report(self) -> str:
        counts = ", ".join(f"{who} {language}: {count}" for (who, language), count in self.read.items())
        lines = [f"admin pages read ({counts}) in {self.seconds:.1f} s, {len(self.findings)} other-language texts"]
        lines += self.errors
        for (language, text), urls in sorted(self.findings.items()):
            lines.append(f"[{language}] {text!r}  ({', '.join(urls[:3])}{' …' if len(urls) > 3 else ''})")
        return "\n".join(lines)


def _admin_urls(user: Any) -> list[str]:
    """The index, and for every registered model ``user`` may see its app's index, its list, its add form and the
    change form of one of its objects (when the world holds one)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    urls = [reverse("admin:index")]
    apps: set[str] = set()
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_module_permission(request):
            continue  # the staff screens refuse it, with the project's own 403 page (read by the pages' crawl)
        opts = model._meta
        apps.add(opts.app_label)
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    urls += [reverse("admin:app_list", args=[label]) for label in sorted(apps)]
    return urls


def crawl_admin(client: Client, who: str, urls: list[str], crawl: AdminCrawl, content: UserContent) -> None:
    for url in urls:
        for language in LANGUAGES:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            response = client.get(url)
            if response.status_code >= 500:
                crawl.errors.append(f"{response.status_code} {url} ({language})")
                continue
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            crawl.pages.setdefault(language, set()).add(url)
            crawl.read[(who, language)] = crawl.read.get((who, language), 0) + 1
            for text in foreign_text(readable_text(response.content.decode(), language), language, content):
                crawl.findings.setdefault((language, text), []).append(url)


@pytest.fixture(scope="module")
def admin_crawled(world: World) -> Iterator[AdminCrawl]:  # noqa: F811 - the imported fixture
    cache.clear()
    crawl = AdminCrawl()
    started = time.perf_counter()
    superuser = make_user(display_name="系统管理员", is_staff=True, is_superuser=True)
    content = UserContent.from_database()
    # The superuser sees every screen; a platform admin (staff, not a superuser) the ones their role opens.
    for who, user in (("superuser", superuser), ("platform_admin", world.users["platform_admin"])):
        client = Client()
        client.force_login(user)
        crawl_admin(client, who, _admin_urls(user), crawl, content)
    crawl.seconds = time.perf_counter() - started
    translation.deactivate()
    yield crawl


@pytest.mark.django_db
def test_the_admin_crawl_reads_every_registered_model(admin_crawled: AdminCrawl) -> None:
    print(admin_crawled.report())
    assert admin_crawled.errors == []
    assert len(admin_crawled.pages["zh-hans"]) > 2 * len(admin.site._registry)
    assert admin_crawled.pages["zh-hans"] == admin_crawled.pages["en"]
    assert admin_crawled.read[("platform_admin", "zh-hans")] >= 3  # the index, the audit log and an entry of it


@pytest.mark.django_db
def test_every_admin_page_reads_in_one_language(admin_crawled: AdminCrawl) -> None:
    assert admin_crawled.findings == {}, admin_crawled.report()
