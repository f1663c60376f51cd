"""``zhijiao bench assessment``, its exam deadline spike: 5,000 learners saving answers and handing in at the end of
an exam, against one server (granian, 2 workers) on PostgreSQL; printed, nothing asserts.

The bench's own PostgreSQL database (``zhijiao_bench_exam``) holds a published course whose exam has ten questions
(eight single choice with shuffled options, two short answers) and a run with 5,000 enrolled learners, each with
an open attempt (started once through ``services.attempt_start``, then put back to "in progress, nothing saved"
before every measurement). Every learner gets a signed-in session as the site would give one (in Redis when it
answers on 127.0.0.1:6379, as a province runs; else in the database). Then:

- **saves at the deadline**: 500 learners at once, each thinking a moment between two answers (a random pause of
  0.9 s on average, as people answer; wrk with 500 connections, the pause before each request, latency measured
  from when the request is sent): about 540 saves/s offered, the saves/s served and their p50/p99 — the figure the
  target (≥ 500 saves/s, p99 ≤ 200 ms) is about;
- **capacity**: wrk (64 connections, no pause) sends ``PUT /api/v1/assessment/attempts/<id>/answers/<n>`` round the
  learners and their questions for ``--duration`` seconds: the most saves/s the server gives, and how long 5,000
  learners × 10 answers would take at that rate (its p99 is mostly the queue of 64 requests in flight);
- **submits**: every learner hands in once (``POST …/submit``: objective questions graded, the short answers
  queued for the teaching team, the grade updated): submits/s and p99;
- **SIGKILL**: 16 client threads save unique short answers and hand in, while the server is killed with SIGKILL
  and started again; afterwards every acknowledged save must be in the database (and in the submitted paper when
  a submission was acknowledged after it), every acknowledged submission submitted: the number lost is counted.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

import click

from zhijiao.bench import harness

LEARNERS = 5_000
SINGLES, SHORTS = 8, 2
PG_NAME = "zhijiao_bench_exam"
ROOT = Path(tempfile.gettempdir()) / "zhijiao-bench-exam"
CSRF = "benchcsrftoken0123456789abcdefgh"  # 32 letters and digits: a CSRF secret Django accepts as cookie and header
SAVES_TARGET, P99_TARGET_MS = 500, 200
PACED_LEARNERS, THINK_MS = 500, 900  # learners answering at the same moment; their mean pause between two answers
KILL_THREADS, KILL_BEFORE, KILL_AFTER = 16, 4.0, 6.0

_BUILD = r"""
import os, sys, time
import click
import django
django.setup()
from datetime import timedelta
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from zhijiao.accounts.models import User
from zhijiao.assessment import services as assessment
from zhijiao.assessment.models import Attempt
from zhijiao.courses import services as courses
from zhijiao.courses.models import Block, Course, Enrolment, NodeKind
from decimal import Decimal

TITLE = "数据结构（考试高峰基准）"
LEARNERS = int(os.environ["BENCH_LEARNERS"])
SINGLES, SHORTS = int(os.environ["BENCH_SINGLES"]), int(os.environ["BENCH_SHORTS"])
course = Course.objects.filter(title=TITLE).first()
if course is None:
    teacher = User.objects.create_user(phone="17600000000", password=None, display_name="基准教师", is_superuser=True)
    course = courses.course_create(actor=teacher, title=TITLE, summary="考试高峰基准用课程")
    chapter = courses.node_add(actor=teacher, course=course, kind=NodeKind.CHAPTER, title="第1章 线性表")
    section = courses.node_add(actor=teacher, course=course, kind=NodeKind.SECTION, title="1.1 栈与队列",
                               parent=chapter)
    unit = courses.node_add(actor=teacher, course=course, kind=NodeKind.UNIT, title="期末考试", parent=section)
    questions = []
    for n in range(SINGLES):
        questions.append(assessment.question_create(
            actor=teacher, course=course, type="single", stem=f"<p>第{n + 1}题：栈的特点是？</p>",
            data={"options": ["先进先出", "后进先出", "随机存取", "按优先级出"], "answer": 1}, points=Decimal(5)))
    for n in range(SHORTS):
        questions.append(assessment.question_create(
            actor=teacher, course=course, type="short", stem=f"<p>简答{n + 1}：简述顺序表和链表的区别。</p>",
            data={"reference": "存储方式、插入删除效率、随机访问。",
                  "rubric": [{"criterion": "存储方式", "points": "10"}, {"criterion": "效率比较", "points": "10"}],
                  "grading": "manual"}, points=Decimal(20)))
    picks = [{"question": str(q.identifier), "version": q.current_version.number} for q in questions]
    courses.block_add(actor=teacher, unit=unit, type="exam", title="期末考试", data={
        "picks": picks, "time_limit_minutes": 120, "shuffle_questions": False, "shuffle_options": True})
    courses.course_publish(actor=teacher, course=course)
    now = timezone.now()
    run = courses.run_create(actor=teacher, course=course, title="2026 秋季学期", kind="open",
                             enrol_opens_at=now - timedelta(days=1), enrol_closes_at=now + timedelta(days=3650),
                             starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=3650))
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(phone=f"175{n:08d}", display_name=f"考生{n}", password=password) for n in range(LEARNERS)],
        batch_size=2000)
    Enrolment.objects.bulk_create([Enrolment(run=run, user=user) for user in users], batch_size=2000)
run = course.runs.order_by("pk").first()
content_id = str(Block.objects.filter(course=course, type="exam").values_list("content_id", flat=True)[0])
have = set(Attempt.objects.filter(run=run).values_list("user_id", flat=True))
todo = list(Enrolment.objects.filter(run=run).exclude(user_id__in=have).select_related("user").order_by("pk"))
if todo:
    with click.progressbar(todo, label="开始作答 / starting attempts", file=sys.stderr) as bar:
        for enrolment in bar:
            assessment.attempt_start(actor=enrolment.user, run=run, content_id=content_id)
print(f"BUILT {run.pk} {Attempt.objects.filter(run=run).count()}")
"""

_RESET = r"""
import os, sys
import django
django.setup()
from datetime import timedelta
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import transaction
from django.utils import timezone
from zhijiao.assessment.models import Attempt, AttemptItem, AttemptStatus, AttemptStep, ItemStatus
from zhijiao.core.middleware import SessionIdleMiddleware
from zhijiao.courses.models import BlockProgress, CourseGrade, Run, Score

run = Run.objects.get(pk=int(os.environ["BENCH_RUN"]))
now = timezone.now()
with transaction.atomic():
    AttemptStep.objects.filter(attempt__run=run).delete()
    AttemptItem.objects.filter(attempt__run=run).update(
        response=None, status=ItemStatus.OPEN, earned=None, feedback="", rubric_scores=[], graded_by=None,
        graded_at=None)
    Attempt.objects.filter(run=run).update(
        status=AttemptStatus.IN_PROGRESS, started_at=now, deadline_at=now + timedelta(hours=2), submitted_at=None,
        submitted_by="", late=False, earned=None, pending=0, graded_at=None)
    Score.objects.filter(run=run).delete()
    CourseGrade.objects.filter(enrolment__run=run).delete()
    BlockProgress.objects.filter(run=run).delete()
store = import_module(settings.SESSION_ENGINE).SessionStore
backend = settings.AUTHENTICATION_BACKENDS[0]
out = []
for attempt in Attempt.objects.filter(run=run).select_related("user").order_by("pk"):
    session = store()
    session[SESSION_KEY] = str(attempt.user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = attempt.user.get_session_auth_hash()
    # as the sign-in's own answer leaves it: renewed now (core.middleware.SessionIdleMiddleware), so a learner's
    # session is written again only every few minutes, not on their first save in the bench
    session[SessionIdleMiddleware.KEY] = int(now.timestamp())
    session.create()
    out.append(f"{attempt.pk} {session.session_key}")
print(f"COOKIE {settings.SESSION_COOKIE_NAME} {settings.CSRF_COOKIE_NAME} {settings.SESSION_ENGINE}")
print("\n".join(out))
"""

_CHECK = r"""
import json, os, sys
import django
django.setup()
from zhijiao.assessment.models import Attempt, AttemptItem, AttemptStatus, AttemptStep, StepAction

acked = json.loads(open(os.environ["BENCH_ACKED"]).read())
ids = {int(a) for a, _p, _v in acked["saves"]} | {int(a) for a in acked["submits"]}
steps = set()
for attempt_id, position, data in AttemptStep.objects.filter(attempt_id__in=ids, action=StepAction.SAVE).values_list(
        "attempt_id", "position", "data"):
    steps.add((attempt_id, position, json.dumps((data or {}).get("response"), ensure_ascii=False)))
lost_saves = sum(1 for a, p, v in acked["saves"] if (int(a), int(p), json.dumps(v, ensure_ascii=False)) not in steps)
status = dict(Attempt.objects.filter(pk__in=ids).values_list("pk", "status"))
lost_submits = sum(1 for a in acked["submits"] if status.get(int(a)) == AttemptStatus.IN_PROGRESS)
submitted = [int(a) for a in acked["submits"]]
papers = {(a, p): r for a, p, r in AttemptItem.objects.filter(attempt_id__in=submitted).values_list(
    "attempt_id", "position", "response")}
missing = sum(1 for (a, p, v) in acked["last_before_submit"] if papers.get((int(a), int(p))) != v)
checked = len(acked["last_before_submit"])
print(f"CHECK {len(acked['saves'])} {lost_saves} {len(acked['submits'])} {lost_submits} {checked} {missing}")
"""

_SAVES_LUA = r"""
local pairs_file = "%(pairs)s"
local singles, shorts = %(singles)d, %(shorts)d
local threads = {}
function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end
function init(args)
  attempts, sessions = {}, {}
  local n = 0
  for line in io.lines(pairs_file) do
    if n %% %(nthreads)d == index then
      local a, s = line:match("(%%d+) (%%S+)")
      table.insert(attempts, a)
      table.insert(sessions, s)
    end
    n = n + 1
  end
  counter = 0
end
function headers_for(i)
  return {
    ["Cookie"] = "%(session_cookie)s=" .. sessions[i] .. "; %(csrf_cookie)s=%(csrf)s",
    ["X-CSRFToken"] = "%(csrf)s",
    ["Content-Type"] = "application/json",
  }
end
"""

_SAVES_REQUEST = r"""
function request()
  local i = counter %% #attempts + 1
  local position = math.floor(counter / #attempts) %% (singles + shorts) + 1
  counter = counter + 1
  local body
  if position <= singles then
    body = '{"response": ' .. (counter %% 4) .. '}'
  else
    body = '{"response": "第' .. counter .. '次保存：链表插入删除快"}'
  end
  local path = "/api/v1/assessment/attempts/" .. attempts[i] .. "/answers/" .. position
  return wrk.format("PUT", path, headers_for(i), body)
end
"""

_THINKING = r"""
function delay()
  return math.floor(-math.log(1 - math.random()) * %(think_ms)d)
end
"""

_SUBMITS_REQUEST = r"""
function request()
  local i = counter %% #attempts + 1
  counter = counter + 1
  return wrk.format("POST", "/api/v1/assessment/attempts/" .. attempts[i] .. "/submit", headers_for(i), "")
end
function response(status, headers, body)
  done = (done or 0) + 1
  if done >= #attempts then
    wrk.thread:stop()
  end
end
"""


def _pg_url() -> str | None:
    base = harness.pg_url()
    if base is None:
        return None
    url = base.rsplit("/", 1)[0] + "/" + PG_NAME
    return url if harness.pg_database(url) else None


def _redis_url() -> str:
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
    except Exception:  # no Redis: sessions in the database
        return ""
    return "redis://127.0.0.1:6379/6"


def _env(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    environment = harness.database_env(
        ROOT / "var", database_url, REDIS_URL=redis_url, PAGE_CACHE_SECONDS="0", HTTPS="off"
    )
    environment.update(extra)
    return environment


def _child(code: str, environment: dict[str, str], *, timeout: int = 3600) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, stdout=subprocess.PIPE, text=True, check=False, timeout=timeout
    )
    if result.returncode != 0:
        raise click.ClickException(f"bench child failed ({result.returncode})")
    return result.stdout.splitlines()


class Server:
    """granian as ``zhijiao serve`` runs it (2 workers; 2 threads each on PostgreSQL and Redis) on one loopback port;
    killed and restarted on the same port."""

    def __init__(self, environment: dict[str, str]) -> None:
        from zhijiao.cli import blocking_threads_for

        self.environment = environment
        self.threads = blocking_threads_for(
            redis_url=environment.get("REDIS_URL", ""), db_engine="django.db.backends.postgresql"
        )
        self.port = harness.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        from zhijiao.cli import granian_argv

        argv = [*granian_argv("127.0.0.1", self.port, 2, self.threads), "--log-level", "warning"]
        self.process = subprocess.Popen(argv, env=self.environment, start_new_session=True)
        if not harness.wait_for(f"{self.base}/healthz", self.process, timeout=60):
            raise click.ClickException("granian did not start")

    def kill(self) -> None:
        assert self.process is not None
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None:
            harness.terminate(self.process)


def _reset(environment: dict[str, str], run_id: int) -> tuple[list[tuple[int, str]], str, str, str]:
    lines = _child(_RESET, {**environment, "BENCH_RUN": str(run_id)})
    _, session_cookie, csrf_cookie, engine = lines[0].split()
    pairs = [(int(a), s) for a, s in (line.split() for line in lines[1:] if line.strip())]
    return pairs, session_cookie, csrf_cookie, engine


def _lua(pairs: list[tuple[int, str]], cookies: tuple[str, str], request: str, *, think_ms: int = 0) -> Path:
    ROOT.mkdir(parents=True, exist_ok=True)
    pairs_file = ROOT / "pairs.txt"
    pairs_file.write_text("".join(f"{a} {s}\n" for a, s in pairs))
    script = ROOT / "load.lua"
    values = {
        "pairs": pairs_file,
        "singles": SINGLES,
        "shorts": SHORTS,
        "nthreads": 2,
        "session_cookie": cookies[0],
        "csrf_cookie": cookies[1],
        "csrf": CSRF,
        "think_ms": think_ms,
    }
    script.write_text((_SAVES_LUA + request + (_THINKING if think_ms else "")) % values)
    return script


class _Client(threading.Thread):
    """One person's browser, more or less: keep-alive, the session and CSRF cookies; records what was acknowledged."""

    def __init__(self, port: int, pairs: list[tuple[int, str]], cookies: tuple[str, str], stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.pairs, self.cookies, self.stop_event = port, pairs, cookies, stop
        self.saves: list[tuple[int, int, str]] = []
        self.submits: list[int] = []
        self.last_before_submit: list[tuple[int, int, str]] = []
        self.errors = 0
        self.rng = random.Random(self.port + len(pairs))
        self.conn: http.client.HTTPConnection | None = None

    def _send(self, method: str, path: str, session: str, body: dict[str, Any] | None) -> int | None:
        headers = {
            "Cookie": f"{self.cookies[0]}={session}; {self.cookies[1]}={CSRF}",
            "X-CSRFToken": CSRF,
            "Content-Type": "application/json",
        }
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            self.conn.request(method, path, body=json.dumps(body) if body is not None else b"", headers=headers)
            response = self.conn.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            self.errors += 1
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            time.sleep(0.05)  # the server is down: try again shortly, as the page's retry does
            return None

    def run(self) -> None:
        serial = 0
        for attempt_id, session in self.pairs:
            last: dict[int, str] = {}
            for _ in range(self.rng.randint(3, 6)):
                if self.stop_event.is_set():
                    return
                position = SINGLES + self.rng.randint(1, SHORTS)
                serial += 1
                text = f"{attempt_id}-{position}-{serial}：顺序表连续存储，链表离散存储。"
                path = f"/api/v1/assessment/attempts/{attempt_id}/answers/{position}"
                if self._send("PUT", path, session, {"response": text}) == 200:
                    self.saves.append((attempt_id, position, text))
                    last[position] = text
            if self._send("POST", f"/api/v1/assessment/attempts/{attempt_id}/submit", session, None) == 200:
                self.submits.append(attempt_id)
                self.last_before_submit += [(attempt_id, position, text) for position, text in last.items()]


def _kill_test(server: Server, environment: dict[str, str], pairs: list[tuple[int, str]], cookies: tuple[str, str]):
    stop = threading.Event()
    clients = [_Client(server.port, pairs[n::KILL_THREADS], cookies, stop) for n in range(KILL_THREADS)]
    for client in clients:
        client.start()
    time.sleep(KILL_BEFORE)
    server.kill()
    killed_at = time.monotonic()
    server.start()
    back_after = time.monotonic() - killed_at
    time.sleep(KILL_AFTER)
    stop.set()
    for client in clients:
        client.join(timeout=30)
    acked = {
        "saves": [save for client in clients for save in client.saves],
        "submits": [attempt for client in clients for attempt in client.submits],
        "last_before_submit": [item for client in clients for item in client.last_before_submit],
    }
    acked_file = ROOT / "acked.json"
    acked_file.write_text(json.dumps(acked, ensure_ascii=False))
    line = next(line for line in _child(_CHECK, {**environment, "BENCH_ACKED": str(acked_file)}) if "CHECK" in line)
    errors = sum(client.errors for client in clients)
    return [int(value) for value in line.split()[1:]], back_after, errors


def run(*, duration: int = 20) -> None:
    """The exam deadline spike: saves/s and p99, submits/s and p99, acknowledged answers lost to SIGKILL."""
    click.echo("== 考试截止高峰 / exam deadline spike (PostgreSQL, granian as zhijiao serve runs it) ==")
    database_url = _pg_url()
    if database_url is None:
        click.echo("  PostgreSQL is not reachable on 127.0.0.1:5432: skipped")
        return
    redis_url = _redis_url()
    environment = _env(database_url, redis_url)
    (ROOT / "var" / "static").mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "zhijiao.cli", "manage", "migrate", "-v0"], env=environment, check=True)
    build = {**environment, "BENCH_LEARNERS": str(LEARNERS), "BENCH_SINGLES": str(SINGLES), "BENCH_SHORTS": str(SHORTS)}
    built = next(line.split() for line in _child(_BUILD, build) if line.startswith("BUILT "))
    run_id, attempts = int(built[1]), int(built[2])
    click.echo(f"  数据 / data: {attempts:,} learners with an open exam attempt of {SINGLES + SHORTS} questions")
    click.echo(f"  sessions in {'Redis' if redis_url else 'the database'}; wrk -t2 -c64, {duration} s")
    pairs, session_cookie, csrf_cookie, _engine = _reset(environment, run_id)
    cookies = (session_cookie, csrf_cookie)
    server = Server(environment)
    server.start()
    try:
        harness.wrk(f"{server.base}/healthz", duration=2, connections=8)  # warm-up: imports and connections
        reference = harness.wrk(f"{server.base}/healthz", duration=min(duration, 5), connections=64)
        click.echo(
            f"  server: granian 2 workers × {server.threads} threads; reference in the same run: /healthz "
            f"{reference.requests_per_second:,.0f} req/s, p99 {reference.p99_ms:.1f} ms (the machine's noise)"
        )
        paced = harness.wrk(
            server.base,
            script=_lua(pairs, cookies, _SAVES_REQUEST, think_ms=THINK_MS),
            duration=duration,
            connections=PACED_LEARNERS,
            timeout=10,
        )
        offered = PACED_LEARNERS / (THINK_MS / 1000)
        click.echo(
            f"  saves at the deadline: {PACED_LEARNERS} learners pausing {THINK_MS / 1000:.1f} s on average "
            f"(≈ {offered:.0f}/s offered): {paced.requests_per_second:5.0f} /s   p50 {paced.p50_ms:6.1f} ms   "
            f"p99 {paced.p99_ms:6.1f} ms   errors {paced.errors}   "
            f"(target ≥ {SAVES_TARGET}/s, p99 ≤ {P99_TARGET_MS} ms)"
        )
        saves = harness.wrk(
            server.base, script=_lua(pairs, cookies, _SAVES_REQUEST), duration=duration, connections=64, timeout=10
        )
        answers = LEARNERS * (SINGLES + SHORTS)
        click.echo(
            f"  capacity, 64 in flight: {saves.requests_per_second:5.0f} /s   p50 {saves.p50_ms:6.1f} ms   "
            f"p99 {saves.p99_ms:6.1f} ms   errors {saves.errors}   ({saves.requests:,} saves)"
        )
        if saves.requests_per_second:
            click.echo(
                f"           {LEARNERS:,} learners × {SINGLES + SHORTS} answers = {answers:,} saves would take "
                f"{answers / saves.requests_per_second:.0f} s at this rate"
            )
        submits = harness.wrk(
            server.base, script=_lua(pairs, cookies, _SUBMITS_REQUEST), duration=120, connections=64, timeout=10
        )
        click.echo(
            f"  submits: {submits.requests_per_second:7.0f} /s   p99 {submits.p99_ms:6.1f} ms   errors {submits.errors}"
            f"   ({submits.requests:,} hand-ins: objective items graded, short answers queued, grades updated)"
        )
        # The server may still be answering hand-ins that wrk gave up waiting for: reset the attempts with it stopped,
        # or the reset's bulk update and those hand-ins lock the same rows in opposite orders.
        server.stop()
        pairs, *_ = _reset(environment, run_id)
        server.start()
        (saved, lost_saves, handed, lost_submits, checked, missing), back_after, errors = _kill_test(
            server, environment, pairs, cookies
        )
        click.echo(
            f"  SIGKILL: {saved:,} acknowledged saves, {lost_saves} lost; {handed:,} acknowledged hand-ins, "
            f"{lost_submits} lost; {checked:,} last answers before a hand-in, {missing} missing from the paper "
            f"(target 0; server back after {back_after:.1f} s, {errors} requests failed while it was down)"
        )
    finally:
        server.stop()
