"""Every page reads in one language: a crawl of the pages each role reaches, in Chinese and in English, finds no
interface text of the other language outside what people wrote (titles, names, the data)."""

import html
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from zhijiao.accounts.models import Guardianship
from zhijiao.accounts.tests.factories import make_user
from zhijiao.analytics.tests.factories import record
from zhijiao.core.platforms import Platform
from zhijiao.employment import services as employment
from zhijiao.employment.models import Agreement, Application, EmployerProfile
from zhijiao.employment.tests.factories import make_graduate, make_job, make_regions, make_resume, verify_employer
from zhijiao.hall.abroad.models import Service
from zhijiao.hall.abroad.tests.factories import make_application
from zhijiao.hall.exams import services as exams
from zhijiao.hall.exams.models import ExamType, SpecialList
from zhijiao.hall.exams.tests.factories import id_number, make_score, make_sitting, xlsx_bytes
from zhijiao.hall.records import services as records
from zhijiao.hall.records.tests.factories import issue_exam_credential, make_holder, make_record
from zhijiao.k12 import services as k12
from zhijiao.k12.models import Resource
from zhijiao.k12.tests.factories import first_lesson, make_book, make_code, make_resource
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization
from zhijiao.portal.tests.factories import add_topic_item, make_article, make_topic

from .languages import UserContent, foreign_text, readable_text

LANGUAGES = ("zh-hans", "en")
PAGES_PER_ROLE = 120
# Not pages: signing out, switching language, files, the API, media and the staff screens (Django's own).
SKIPPED_PREFIXES = ("/api/", "/admin/", "/media/", "/static/", "/lang/", "/accounts/logout/", "/.well-known/")
SKIPPED_WORDS = ("download", "/pdf", ".pdf", "/file", "export", "/qr", ".png", ".svg", "/stream", "/preview")


@dataclass
class World:
    users: dict[str, Any]
    entries: dict[str, list[str]]
    # Forms each role sends empty (or with wrong values) to see their error messages.
    posts: dict[str, list[tuple[str, dict[str, str]]]]


def build_world() -> World:
    """A small, realistic slice of every platform, made with the apps' factories and services."""
    regions = make_regions()
    school = make_organization(Organization.Kind.SCHOOL, "北京市海淀区实验小学", region=regions["haidian"])
    district = make_organization(Organization.Kind.AGENCY, "北京市海淀区教育委员会", region=regions["haidian"])
    university = make_organization(Organization.Kind.UNIVERSITY, "清华大学", region=regions["haidian"])
    vocational = make_organization(Organization.Kind.VOCATIONAL, "北京电子科技职业学院", region=regions["haidian"])
    employer = make_organization(Organization.Kind.EMPLOYER, "北京云杉生物科技有限公司", region=regions["haidian"])
    agency = make_organization(Organization.Kind.AGENCY, "教育部学生服务与素质发展中心", region=regions["haidian"])
    verify_employer(employer)
    verify_employer(
        make_organization(Organization.Kind.EMPLOYER, "北京青禾教育咨询有限公司", region=regions["haidian"]),
        EmployerProfile.Status.PENDING,
    )

    names = iter(["李明轩", "李建国", "王芳", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄婷", "周建华", "吴敏", "徐涛"])
    users: dict[str, Any] = {"anonymous": None}
    for role, org in [
        (Role.STUDENT, school),
        (Role.PARENT, school),
        (Role.TEACHER, school),
        (Role.SCHOOL_ADMIN, school),
        (Role.DISTRICT_STAFF, district),
        (Role.VOCATIONAL_STAFF, vocational),
        (Role.UNIVERSITY_FACULTY, university),
        (Role.EMPLOYMENT_STAFF, university),
        (Role.RECRUITER, employer),
        (Role.EXPERT, agency),
        (Role.HALL_OFFICER, agency),
        (Role.PLATFORM_ADMIN, agency),
    ]:
        user = make_user(display_name=next(names), is_staff=role == Role.PLATFORM_ADMIN)
        add_member(user, org, role)
        users[str(role)] = user
    registrar, _ = make_holder("孙丽")
    add_member(registrar, university, Role.REGISTRAR)
    users["registrar"] = registrar

    # K-12: a book with resources, a 云码, a class with an assignment, a district collection.
    book = make_book(lessons=3)
    lesson = first_lesson(book)
    video = make_resource(lesson=lesson, title="正数和负数微课")
    make_resource(lesson=lesson, kind=Resource.Kind.DOCUMENT, title="正数和负数学习任务单")
    make_code(lesson=lesson, organization=school)
    klass = k12.class_create(actor=users["teacher"], school=school, name="四年级（2）班", grade=4)
    k12.class_add_student(actor=users["teacher"], klass=klass, phone=users["student"].phone)
    k12.assignment_create(
        actor=users["teacher"],
        klass=klass,
        purpose="preview",
        due_date=timezone.localdate() + timedelta(days=3),
        lesson=lesson,
        note="课前观看微课",
    )
    collection = k12.collection_create(actor=users["district_staff"], district=district, title="海淀区七年级数学精选")
    k12.collection_add(actor=users["district_staff"], collection=collection, resource=video)

    # Employment: a graduate with a resume, applications (one signed into an agreement), pushed jobs.
    graduate_user, graduate_number = make_holder("陈思远")
    graduate = make_graduate(graduate_user, university, real_name="陈思远", major="生物技术")
    users["graduate"] = graduate_user
    recruiter = users["recruiter"]
    job = make_job(recruiter, employer, title="生物制药研发工程师")
    other_job = make_job(recruiter, employer, title="质量分析专员", salary_min=8000, salary_max=12000)
    resume = make_resume(graduate_user, "陈思远的简历")
    application = employment.application_submit(graduate=graduate_user, job=job, resume=resume)
    employment.application_move(actor=recruiter, application=application, status=Application.Status.OFFER)
    employment.application_respond(graduate=graduate_user, application=application, accept=True)
    employment.application_submit(graduate=graduate_user, job=other_job, resume=resume)

    # The service hall: scores and their certificate, records and a report, notices, a special list, study abroad.
    sitting = make_sitting(ExamType.CET4, session="2026年6月")
    make_score(sitting, ticket="110108261290013", name="陈思远", number=graduate_number)
    issue_exam_credential(holder_user=graduate_user, id_number=graduate_number)
    made = make_record(university, name="陈思远", id_number=graduate_number, programme="生物技术")
    report = records.report_create(actor=graduate_user, record_id=made.pk, days=30)
    notice = exams.notice_create(
        actor=users["hall_officer"],
        title="2026年普通高校招生工作规定",
        kind="policy",
        year=2026,
        body="各地招生考试机构按本规定组织实施。",
        province_code="110000",
        publish=True,
    )
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    exams.attachment_add(actor=users["hall_officer"], notice=notice, upload=SimpleUploadedFile("招生规定.pdf", pdf))
    now = timezone.now()
    exams.special_list_import(
        actor=users["hall_officer"],
        title="2026年强基计划入围考生名单",
        program=SpecialList.Program.STRONG_BASE,
        year=2026,
        notice_start=now - timedelta(days=1),
        notice_end=now + timedelta(days=6),
        data=xlsx_bytes(
            ["姓名", "性别", "身份证号", "中学", "省份", "高校", "项目"],
            [["张一", "男", id_number(101), "北京市第四中学", "北京市", "清华大学", "数学与应用数学"]],
        ),
        filename="list.xlsx",
    )
    make_application(graduate_user, Service.DEGREE)
    make_application(graduate_user, Service.RETURNEE, submit=False)

    # The portal: articles, a topic, page views.
    article = make_article(Platform.K12, "春季学期中小学课后服务指南", summary="课后安排。", body="各校开展课后服务。")
    topic = make_topic("心理健康", slug="mental-health")
    add_topic_item(topic, article)
    for platform in ("k12", "employment", "hall"):
        record(day=timezone.localdate(), platform=platform, visitor=platform, device="mobile", times=3)
    Guardianship.objects.create(parent=users["parent"], child=users["student"])

    agreement = Agreement.objects.get()
    entries = {
        "anonymous": [
            "/",
            "/k12/",
            "/employment/",
            "/hall/",
            "/data/",
            "/newest/",
            "/search/?q=数学",
            "/search/suggest/?q=数",
            "/verify/",
            f"/verify/{agreement.code}",
            f"/verify/{report.code}",
            f"/employment/push/stop/{employment.push_stop_token(graduate)}/",
        ],
        "student": ["/k12/classes/", "/notifications/", "/accounts/me/"],
        "teacher": ["/k12/classes/", "/k12/codes/", "/k12/upload/", "/k12/mine/"],
        "district_staff": ["/k12/district/", "/k12/codes/"],
        "platform_admin": ["/k12/review/", "/employment/review/", "/hall/degrees/issued/"],
        "graduate": [
            "/employment/me/",
            "/hall/mine/",
            "/hall/degrees/",
            "/hall/abroad/",
            f"/employment/agreements/{agreement.pk}/",
            "/notifications/",
        ],
        "recruiter": ["/employment/employer/", f"/employment/jobs/{job.pk}/edit/"],
        "employment_staff": ["/employment/office/"],
        "registrar": ["/hall/degrees/import/"],
        "hall_officer": ["/hall/office/", "/hall/abroad/office/"],
    }
    empty: dict[str, str] = {}
    posts = {
        "anonymous": [
            ("/accounts/login/", empty),
            ("/accounts/register/", {"phone": "12345", "password1": "a", "password2": "b"}),
            ("/hall/scores/", empty),
        ],
        "student": [("/accounts/me/identity/", {"id_number": "123"}), ("/employment/employer/register/", empty)],
        "teacher": [("/k12/classes/", empty), ("/k12/upload/", empty)],
        "district_staff": [("/k12/district/", empty), (f"/k12/collections/{collection.pk}/", {"resource": "x"})],
        "graduate": [
            ("/hall/abroad/start/degree/", empty),
            ("/employment/me/push/", {"regions": "北京"}),
            ("/employment/resumes/new/", empty),
            ("/hall/degrees/reports/", empty),
            ("/accounts/me/tokens/", empty),
            (f"/employment/jobs/{job.pk}/apply/", empty),
        ],
        "recruiter": [("/employment/jobs/new/", {"region_codes": "北京"}), ("/employment/jobs/import/", empty)],
        "employment_staff": [(f"/employment/office/roster/?university={university.pk}", empty)],
        "registrar": [("/hall/degrees/import/", empty)],
        "hall_officer": [("/hall/office/", empty)],
    }
    entries["anonymous"] += [
        "/employment/jobs/?region=北京&industry=Z9&sort=cheapest",
        "/search/?q=数学&platform=moon&sort=cheapest",
    ]
    return World(users=users, entries=entries, posts=posts)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Made once for the module inside a transaction that is rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(MEDIA_ROOT=str(media), PRIVATE_MEDIA_ROOT=str(media / "private"), K12_SCAN_FLUSH_SECONDS=0),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        with TestCase.captureOnCommitCallbacks(execute=True):
            made = build_world()
        translation.deactivate()
        yield made
        transaction.set_rollback(True)


@dataclass
class Crawl:
    """What the crawl saw: pages by URL pattern (and whether signed in), and the other-language text on them."""

    pages: dict[tuple[str, bool], str] = field(default_factory=dict)
    roles: dict[str, int] = field(default_factory=dict)
    findings: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (language, text) → URLs
    errors: list[str] = field(default_factory=list)
    answers: dict[tuple[str, str], int] = field(default_factory=dict)  # (role, entry page) → status
    status: int = 0

    def report(self) -> str:
        patterns = {pattern for pattern, _ in self.pages}
        lines = [
            f"{len(patterns)} URL patterns and form error states ({len(self.pages)} with signed-in variants), "
            f"{len(self.roles)} roles, {len(self.findings)} other-language texts"
        ]
        lines += self.errors
        for (language, text), urls in sorted(self.findings.items()):
            lines.append(f"[{language}] {text!r}  ({', '.join(urls[:3])}{' …' if len(urls) > 3 else ''})")
        return "\n".join(lines)


def _pattern(url: str) -> str | None:
    """One key per URL pattern and set of query parameters: /k12/lessons/1/ and /k12/lessons/2/ count once."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    keys = sorted({key for key, _ in parse_qsl(parts.query)} - {"page", "next"})
    return f"{match.route}?{'&'.join(keys)}" if keys else match.route


def _followable(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme and parts.netloc != "testserver":
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith(SKIPPED_PREFIXES) or any(w in path for w in SKIPPED_WORDS):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def _links(page: str) -> list[str]:
    return [
        link for href in re.findall(r'<a\b[^>]*\bhref="([^"#]+)', page) if (link := _followable(html.unescape(href)))
    ]


def check_page(client: Client, url: str, crawl: Crawl, content: UserContent) -> str | None:
    """Read one address in both languages; the Chinese page's HTML when it is a page to follow links from."""
    query = UserContent([value for _, value in parse_qsl(urlsplit(url).query)])
    followed = None
    for language in LANGUAGES:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url)
        crawl.status = response.status_code
        if response.status_code >= 500:
            crawl.errors.append(f"{response.status_code} {url} ({language})")
            continue
        if response.status_code in (301, 302, 303):
            followed = followed or _followable(response["Location"])
            continue
        if getattr(response, "streaming", False) or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        for text in foreign_text(readable_text(page, language), language, content, query):
            crawl.findings.setdefault((language, text), []).append(url)
        if language == LANGUAGES[0] and response.status_code == 200:
            followed = page
    return followed


def check_errors(client: Client, url: str, data: dict[str, str], crawl: Crawl, content: UserContent) -> None:
    """Send a form with missing or wrong values in both languages and read the page that says what is wrong."""
    query = UserContent(data.values())
    for language in LANGUAGES:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.post(url, data, follow=True)
        if response.status_code >= 500:
            crawl.errors.append(f"{response.status_code} POST {url} ({language})")
            continue
        crawl.pages.setdefault((f"POST {_pattern(url)}", True), url)
        for text in foreign_text(readable_text(response.content.decode(), language), language, content, query):
            crawl.findings.setdefault((language, text), []).append(f"POST {url}")


def crawl_role(
    client: Client, role: str, own: list[str], shared: list[str], crawl: Crawl, content: UserContent
) -> None:
    """Breadth first from the role's ``own`` entry pages (always read) and the ``shared`` ones: each URL pattern
    once for visitors and once for signed-in people, every page read in both languages."""
    signed_in = role != "anonymous"
    queue = deque([*((url, True) for url in own), *((url, False) for url in shared)])
    seen: set[str] = set()
    visited = 0
    while queue and visited < PAGES_PER_ROLE:
        url, mine = queue.popleft()
        key = _pattern(url)
        if key is None or key in seen or (not mine and (key, signed_in) in crawl.pages):
            continue
        seen.add(key)
        crawl.pages.setdefault((key, signed_in), url)
        visited += 1
        page = check_page(client, url, crawl, content)
        if mine:
            crawl.answers[(role, url)] = crawl.status
        if page is not None and page.startswith("/"):
            queue.append((page, mine))
        elif page is not None:
            queue.extend((link, False) for link in _links(page))
    crawl.roles[role] = visited


# The roles with the most to see go first: a page shared by several roles is read as the first one sees it.
ROLES = [
    "graduate",
    "teacher",
    "recruiter",
    "employment_staff",
    "hall_officer",
    "district_staff",
    "registrar",
    "platform_admin",
    "student",
    "parent",
    "school_admin",
    "vocational_staff",
    "university_faculty",
    "expert",
    "anonymous",
]


@pytest.fixture(scope="module")
def crawled(world: World) -> Crawl:
    cache.clear()
    crawl = Crawl()
    for role in ROLES:
        content = UserContent.from_database()  # pages make data too (a certificate issued on first view)
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        # The home page for every role (its header shows who is signed in); other public pages once signed in.
        own = [*world.entries.get(role, []), "/"]
        crawl_role(client, role, own, world.entries["anonymous"], crawl, content)
        for url, data in world.posts.get(role, []):
            check_errors(client, url, data, crawl, content)
    translation.deactivate()
    return crawl


@pytest.mark.django_db
def test_the_crawl_reaches_every_role_and_its_pages(crawled: Crawl) -> None:
    print(crawled.report())
    assert set(crawled.roles) == set(ROLES)
    assert len(crawled.pages) > 100
    assert crawled.errors == []


@pytest.mark.django_db
def test_each_role_reaches_its_own_pages(world: World, crawled: Crawl) -> None:
    """The entry pages of a role answer it (a 403 or a redirect to the login would leave its pages unchecked)."""
    refused = {
        (role, url): answer
        for role, urls in world.entries.items()
        for url in urls
        if (answer := crawled.answers.get((role, url), 200)) != 200  # not there: its pattern was read already
    }
    assert refused == {}


@pytest.mark.django_db
def test_every_page_reads_in_one_language(crawled: Crawl) -> None:
    assert crawled.findings == {}, crawled.report()
