"""The ``zhijiao`` command: run the platform (demo, serve, worker), load demo data, reach Django's commands.

``zhijiao demo`` is the one command a newcomer needs: it prepares ``./var/``, migrates, loads the demo data once,
collects the static files, starts the production server (granian) and the task worker as child processes and stops
both on Ctrl-C. The demo runs with the production settings (DEBUG off) except that it speaks plain HTTP on the
address it binds and writes email to files in ``var/mail/`` instead of sending it.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

SETTINGS_MODULE = "zhijiao.config.settings"
WSGI_APP = "zhijiao.config.wsgi:application"
STOP_TIMEOUT_SECONDS = 10.0
HEALTH_TIMEOUT_SECONDS = 90.0
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _check_settings() -> None:
    """Read the settings now: a wrong variable ends the command with one line naming it (exit status 2), never a
    traceback and never later, at the first request that needs it (config.environment checks each value)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - imports the settings module, which checks the environment
    except ImproperlyConfigured as exc:
        click.echo(f"配置错误 / configuration error: {' '.join(str(exc).split())}", err=True)
        raise SystemExit(2) from None


def _django() -> None:
    _check_settings()
    import django

    django.setup()


def _(message: str) -> str:
    """Translate a message once Django is set up (the default language is Simplified Chinese)."""
    from django.utils.translation import gettext

    return gettext(message)


def _migrate() -> None:
    from django.core.management import call_command

    click.echo(_("正在准备数据库…"), nl=False)
    call_command("migrate", interactive=False, verbosity=0)
    click.echo(" " + _("完成"))


def _collectstatic() -> None:
    """Copy the static files into var/ with hashed, compressed copies, as production serves them (WhiteNoise)."""
    from django.core.management import call_command

    click.echo(_("正在准备静态文件…"), nl=False)
    call_command("collectstatic", interactive=False, verbosity=0)
    click.echo(" " + _("完成"))


def _seed_marker() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / ".seeded"


def _seed(scale: str, seed: int | None = None) -> bool:
    """Load the demo data with a progress bar unless it is already there; True when it was loaded now."""
    from zhijiao.demo.seed import DEFAULT_SEED, SEED_VERSION, is_seeded, seed_demo

    if is_seeded():
        click.echo(_("演示数据已加载，本次直接使用。"))
        from zhijiao.search.models import SearchDocument

        if not SearchDocument.objects.exists():  # seeded before search existed
            _reindex(None)
        return False
    state: dict[str, Any] = {}

    def progress(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(length=total, label=_("正在加载演示数据"), show_eta=False, file=sys.stderr)
            bar.__enter__()
            state["bar"] = bar
        bar.update(done - bar.pos)

    started = time.monotonic()
    try:
        report = seed_demo(scale=scale, seed=DEFAULT_SEED if seed is None else seed, progress=progress)
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)
    marker = _seed_marker()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(f"version={SEED_VERSION}\nscale={scale}\n", encoding="utf-8")
    summary = _("用户 %(users)s 人，机构 %(organizations)s 个，文章 %(articles)s 篇，专题 %(topics)s 个") % {
        key: report.counts.get(key, 0) for key in ("users", "organizations", "articles", "topics")
    }
    click.echo(
        _("演示数据加载完成（%(seconds).1f 秒）：%(summary)s")
        % {"seconds": time.monotonic() - started, "summary": summary}
    )
    # The demo data is bulk-loaded, past the services that keep the search index in sync: build it now.
    _reindex(None)
    return True


def _reindex(kind: str | None) -> None:
    """Rebuild the search index (one document type or all) with a progress bar, and say how fast it went."""
    from zhijiao.search.services import reindex, reindex_total

    total = reindex_total(kind)
    with click.progressbar(length=total, label=_("正在建立搜索索引"), show_eta=False, file=sys.stderr) as bar:
        report = reindex(kind=kind, progress=bar.update)
    click.echo(
        _("搜索索引已建立：%(documents)s 条文档，%(seconds).1f 秒（每秒 %(rate).0f 条）")
        % {"documents": report.documents, "seconds": report.seconds, "rate": report.per_second}
    )


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def blocking_threads_for(*, redis_url: str, db_engine: str) -> int:
    """Threads per web worker: one when every request is CPU and local SQLite, two when requests wait on the network.

    With one thread, a worker waiting for a Redis or PostgreSQL answer answers nobody else meanwhile; a second
    thread runs another request in the wait (the GIL is released). Measured on the score lookup with Redis on the
    same 2 cores: p99 167 ms with one thread, 62 ms with two. With SQLite alone a second thread only adds GIL
    hand-offs.
    """
    return 2 if redis_url or db_engine != "django.db.backends.sqlite3" else 1


def default_blocking_threads() -> int:
    from django.conf import settings

    return blocking_threads_for(redis_url=settings.REDIS_URL, db_engine=settings.DATABASES["default"]["ENGINE"])


def granian_argv(host: str, port: int, workers: int, blocking_threads: int) -> list[str]:
    """The production server's command line, as `zhijiao serve` and `demo` run it (and `zhijiao bench hall`)."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        WSGI_APP,
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        # Threads per worker: see default_blocking_threads.
        "--blocking-threads",
        str(blocking_threads),
        "--no-ws",
    ]


def _die_with_parent() -> None:
    """In a child: get SIGTERM if the supervising `zhijiao demo` itself dies (Linux), so nothing is left over."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _spawn(argv: Sequence[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    # A session of its own: Ctrl-C reaches only the supervisor, which then stops each child exactly once.
    return subprocess.Popen(list(argv), env=env, start_new_session=True, preexec_fn=_die_with_parent)


def _stop(children: Sequence[subprocess.Popen[bytes]], timeout: float = STOP_TIMEOUT_SECONDS) -> None:
    """SIGTERM each child, wait up to ``timeout`` seconds, then kill what is left with its process group."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
    for child in children:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)  # the group: granian's own workers too
        child.wait()


def _wait_healthy(url: str, children: Sequence[subprocess.Popen[bytes]], stopping: dict[str, int]) -> bool:
    deadline = time.monotonic() + HEALTH_TIMEOUT_SECONDS
    while time.monotonic() < deadline and not stopping:
        if any(child.poll() is not None for child in children):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback URL
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return False


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _logins_table() -> str:
    from zhijiao.demo.seed import DEMO_LOGINS
    from zhijiao.orgs.models import Membership

    phones = [login.phone for login in DEMO_LOGINS]
    where = dict(Membership.objects.filter(user__phone__in=phones).values_list("user__phone", "organization__name"))
    rows = [(_("角色"), _("手机号（登录名）"), _("姓名"), _("所在机构"), _("管理后台 /admin/"))]
    for login in DEMO_LOGINS:
        admin = _("可以进入") if login.is_staff else "—"
        rows.append((str(login.role.label), login.phone, login.name, where.get(login.phone, ""), admin))
    widths = [max(_width(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, widths[index]) for index, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join("  " + line for line in lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """智教 · 国家智慧教育公共服务平台 (Zhijiao)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 / address to listen on")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="端口 / port")
def demo(host: str, port: int) -> None:
    """一条命令运行演示平台：准备 var/、迁移、加载演示数据、启动服务器和任务处理进程。"""
    # Production settings apart from TLS: a visitor meets the same pages, error pages and static files as in
    # production. Email goes to files in var/mail/, never to anyone.
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("HTTPS", "off")
    os.environ.setdefault("EMAIL_URL", "file://")
    # QR codes on certificates and the issuer's did:web name the address this demo answers at.
    shown = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104
    shown = f"[{shown}]" if ":" in shown else shown
    os.environ.setdefault("PUBLIC_ORIGIN", f"http://{shown}:{port}")
    if host not in LOOPBACK and "ALLOWED_HOSTS" not in os.environ:
        # Listening on every interface: visitors arrive by addresses we can't know, so accept any host name.
        wildcard = host in {"0.0.0.0", "::", ""}  # noqa: S104
        os.environ["ALLOWED_HOSTS"] = "*" if wildcard else f"localhost,127.0.0.1,[::1],{host}"
    _django()
    from django.conf import settings

    from zhijiao.demo.seed import DEMO_PASSWORD

    click.echo(_("数据目录：%(path)s") % {"path": settings.VAR_DIR})
    if not _port_free(host, port):
        raise click.ClickException(_("端口 %(port)s 已被占用，请用 --port 换一个端口") % {"port": port})
    _migrate()
    _seed("small")
    _collectstatic()

    env = {**os.environ, "ZHIJIAO_VAR_DIR": str(settings.VAR_DIR)}
    stopping: dict[str, int] = {}

    def request_stop(signum: int, _frame: object) -> None:
        stopping.setdefault("signal", signum)

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    server = _spawn(granian_argv(host, port, workers=2, blocking_threads=default_blocking_threads()), env)
    worker = _spawn([sys.executable, "-m", "zhijiao.cli", "worker"], env)
    children = [server, worker]
    # Every interface: this machine reaches it on loopback too.
    local_host = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104
    url = f"http://{f'[{local_host}]' if ':' in local_host else local_host}:{port}/"
    if not _wait_healthy(f"{url}healthz", children, stopping):
        _stop(children)
        if stopping:
            click.echo(_("已停止。"))
            return
        raise click.ClickException(_("服务器未能启动，请查看上面的日志"))

    click.echo("")
    click.echo(_("智教平台已启动：%(url)s") % {"url": url})
    click.echo(_("管理后台：%(url)sadmin/") % {"url": url})
    click.echo(_("演示账号（统一密码：%(password)s）：") % {"password": DEMO_PASSWORD})
    click.echo(_logins_table())
    click.echo(_("按 Ctrl-C 停止。"))

    while not stopping and all(child.poll() is None for child in children):
        time.sleep(0.2)
    if stopping:
        click.echo(_("正在停止服务器和任务处理进程…"))
        _stop(children)
        click.echo(_("已停止。"))
        return
    crashed = next(child for child in children if child.poll() is not None)
    _stop(children)
    name = _("服务器") if crashed is server else _("任务处理进程")
    raise click.ClickException(_("%(name)s意外退出（退出码 %(code)s）") % {"name": name, "code": crashed.returncode})


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 / address to listen on")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="端口 / port")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1), help="工作进程数 / worker processes")
@click.option(
    "--blocking-threads",
    type=click.IntRange(1),
    help="每进程线程数，默认：只用 SQLite 时 1，用 Redis 或 PostgreSQL 时 2 / threads per worker",
)
@click.option("--migrate", "run_migrate", is_flag=True, help="先执行数据库迁移 / migrate first")
def serve(host: str, port: int, workers: int, blocking_threads: int | None, run_migrate: bool) -> None:
    """生产环境的网页服务器（granian），不含任务处理进程。"""
    _django()
    if blocking_threads is None:
        blocking_threads = default_blocking_threads()
    # granian binds with SO_REUSEPORT: a second server on a busy port would start and split the traffic with it.
    if not _port_free(host, port):
        raise click.ClickException(_("端口 %(port)s 已被占用，请用 --port 换一个端口") % {"port": port})

    if run_migrate:
        _migrate()
    _collectstatic()
    argv = granian_argv(host, port, workers=workers, blocking_threads=blocking_threads)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(argv[0], argv)  # noqa: S606 - replace this process: signals go straight to granian


@main.command()
@click.option("--queue", default="*", show_default=True, help="队列名，逗号分隔；* 表示全部 / queues")
@click.option("--interval", default=1.0, show_default=True, type=click.FloatRange(0), help="空闲时轮询间隔（秒）")
@click.option("--batch", is_flag=True, help="处理完已有任务后退出 / exit when the queue is empty")
@click.option("--max-tasks", type=click.IntRange(1), default=None, help="最多处理的任务数 / then exit")
@click.option("--no-scheduler", is_flag=True, help="不运行定时任务调度 / don't enqueue periodic tasks")
def worker(queue: str, interval: float, batch: bool, max_tasks: int | None, no_scheduler: bool) -> None:
    """任务处理进程：执行后台任务（django-tasks-db），并按时加入定时任务（如每 5 分钟汇总访问数据）。"""
    _django()
    from django.core.management import call_command

    from zhijiao.core.workers import Heartbeat, new_worker_id

    if not (no_scheduler or batch):
        from zhijiao.core.schedule import Scheduler

        # Every worker runs one; the ScheduledRun constraint lets only one of them enqueue each run.
        Scheduler().start_thread()
    # Alive on the roll while it runs; it requeues or fails what dead workers left RUNNING (core.workers).
    heartbeat = Heartbeat(new_worker_id())
    heartbeat.start_thread()
    try:
        call_command(
            "db_worker",
            queue_name=queue,
            interval=interval,
            batch=batch,
            max_tasks=max_tasks,
            reload=False,
            startup_delay=not batch,
            worker_id=heartbeat.worker_id,
            verbosity=1,
        )
    finally:
        heartbeat.stop()


@main.command()
@click.option("--scale", type=click.Choice(["small", "large"]), default="small", show_default=True)
@click.option("--seed", "random_seed", type=int, default=None, help="随机种子（默认固定值）")
def seed(scale: str, random_seed: int | None) -> None:
    """加载演示数据（small：演示用，large：性能测试用），已加载则跳过。"""
    _django()
    _migrate()
    _seed(scale, random_seed)


@main.command()
def rollup() -> None:
    """立即汇总已记录的访问数据（工作进程每 5 分钟自动汇总一次）。"""
    _django()
    from zhijiao.analytics.services import pageviews_rollup

    report = pageviews_rollup()
    click.echo(
        _("已汇总 %(views)s 次浏览，涉及 %(days)s 天（%(seconds).1f 秒）")
        % {"views": report.views, "days": len(report.days), "seconds": report.seconds}
    )


@main.command()
@click.option("--kind", default=None, help="只重建一种内容，例如 portal.article / only one document type")
def reindex(kind: str | None) -> None:
    """重建搜索索引（全部或一种内容），显示进度与速度。添加搜索词条后需要执行。"""
    _django()
    from zhijiao.search.registry import document_types

    kinds = [doc_type.kind for doc_type in document_types()]
    if kind is not None and kind not in kinds:
        raise click.BadParameter(_("可选：%(kinds)s") % {"kinds": ", ".join(kinds)}, param_hint="--kind")
    _reindex(kind)


KEYS_REMINDER = (
    "备份文件不含密钥：请另行妥善保管 DATA_ENCRYPTION_KEY、SECRET_KEY 和 CREDENTIAL_SIGNING_KEY"
    "（或 var/ 中的 data_key、secret_key、credential_key），没有 DATA_ENCRYPTION_KEY 无法读出身份证号码。"
)


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=True, path_type=Path))
def backup(path: Path | None) -> None:
    """备份数据库（SQLite 在线备份或 pg_dump）、媒体文件和私密文件到一个归档文件，附清单（版本、时间、行数）。"""
    _django()
    from zhijiao.core.backup import BackupError, backup_plan, backup_write

    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = f"zhijiao-backup-{stamp}.tar.gz"
    target = (path / name if path.is_dir() else path) if path is not None else Path.cwd() / name
    started = time.monotonic()
    try:
        plan = backup_plan()
        # One bar: each table counted, then each file archived.
        length = len(plan.tables) + plan.file_count
        with click.progressbar(length=length, label=_("正在备份"), show_eta=False, file=sys.stderr) as bar:
            manifest = backup_write(path=target, plan=plan, on_table=bar.update, on_file=bar.update)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        _("备份完成（%(seconds).1f 秒）：%(path)s，%(rows)s 行数据，%(files)s 个文件")
        % {
            "seconds": time.monotonic() - started,
            "path": target,
            "rows": sum(manifest.rows.values()),
            "files": sum(manifest.files.values()),
        }
    )
    click.echo(_(KEYS_REMINDER))


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="覆盖非空数据库 / replace a database that holds data")
def restore(path: Path, force: bool) -> None:
    """从备份归档恢复数据库和文件；数据库非空时须加 --force。恢复前请先停止服务器和任务处理进程。"""
    _django()
    from zhijiao.core.backup import BackupError, key_check, manifest_read
    from zhijiao.core.backup import restore as restore_archive

    started = time.monotonic()
    try:
        manifest = manifest_read(path)
        click.echo(
            _("备份时间 %(created)s，版本 %(version)s，%(engine)s，%(rows)s 行数据，%(files)s 个文件")
            % {
                "created": manifest.created_at,
                "version": manifest.version,
                "engine": manifest.engine,
                "rows": sum(manifest.rows.values()),
                "files": sum(manifest.files.values()),
            }
        )
        with click.progressbar(
            length=sum(manifest.files.values()), label=_("正在恢复"), show_eta=False, file=sys.stderr
        ) as bar:
            restored = restore_archive(path=path, force=force, on_file=bar.update)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        _("恢复完成（%(seconds).1f 秒）：%(rows)s 行数据，%(files)s 个文件")
        % {"seconds": time.monotonic() - started, "rows": sum(restored.rows.values()), "files": restored.files}
    )
    if manifest.key_check != key_check():
        click.echo(
            _("注意：当前的 DATA_ENCRYPTION_KEY 与备份时的不同，已加密的身份证号码将无法读出。")
            + _("请设置备份时使用的密钥。"),
            err=True,
        )
    click.echo(_(KEYS_REMINDER))
    if restored.differences:
        lines = ", ".join(f"{table} {was}→{now}" for table, (was, now) in sorted(restored.differences.items()))
        raise click.ClickException(_("行数与备份清单不一致：%(tables)s") % {"tables": lines})
    click.echo(_("各表行数与备份清单一致。"))


@main.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Django 管理命令，例如 zhijiao manage createsuperuser。"""
    from django.core.management import execute_from_command_line

    _check_settings()
    execute_from_command_line(["zhijiao manage", *args])


@main.command()
@click.argument(
    "what",
    type=click.Choice(
        [
            "home",
            "memory",
            "startup",
            "analytics",
            "search",
            "employment",
            "k12",
            "courses",
            "assessment",
            "discussion",
            "cases",
            "hall",
            "reviews",
            "faults",
            "all",
        ]
    ),
    default="all",
)
@click.option("--repeat", default=3, show_default=True, type=click.IntRange(1, 9), help="每项运行次数，取中位数")
@click.option("--duration", default=10, show_default=True, type=click.IntRange(1, 60), help="每次压测秒数")
@click.option("--connections", default=32, show_default=True, type=click.IntRange(1, 256), help="并发连接数")
@click.option("--scale", type=click.Choice(["small", "large"]), default="small", show_default=True, help="演示数据规模")
@click.option("--docs", default=1_000_000, show_default=True, type=click.IntRange(1000), help="search：生成的文档数")
@click.option(
    "--rounds", default=2, show_default=True, type=click.IntRange(1, 20), help="faults：杀掉任务处理进程的次数"
)
@click.option(
    "--examples", default=2, show_default=True, type=click.IntRange(1, 50), help="faults：schemathesis 每项操作的样例数"
)
def bench(
    what: str, repeat: int, duration: int, connections: int, scale: str, docs: int, rounds: int, examples: int
) -> None:
    """性能数据：首页吞吐与 p99（缓存/不缓存/nginx 静态对照）、工作进程峰值内存、从克隆到首页的启动时间、搜索延迟、
    浏览计数开销与访问数据汇总；faults：停机、Redis 中断、任务处理进程被杀时丢失什么，schemathesis，备份与恢复用时。"""
    from zhijiao import bench as benchmarks

    benchmarks.run(
        what,
        scale=scale,
        repeat=repeat,
        duration=duration,
        connections=connections,
        docs=docs,
        rounds=rounds,
        examples=examples,
    )


if __name__ == "__main__":
    main()
