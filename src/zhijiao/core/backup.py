"""Backups of one installation: the database, the media and the private files in one archive, and back again.

An archive is a gzip-compressed tar file:

- ``manifest.json``: the format, Zhijiao's version, when it was made, the database engine, the number of rows of
  every table, the number of files, and a check value of ``DATA_ENCRYPTION_KEY`` (an HMAC of a fixed label: it
  tells whether the key at restore is the one the data was sealed with, and reveals nothing about the key);
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the site keeps running) or
  ``database.pgdump`` (``pg_dump --format=custom``, restored with ``pg_restore``);
- ``media/…`` and ``private/…``: the files under ``MEDIA_ROOT`` and the private root (applicants' documents),
  unless media live in object storage (``MEDIA_STORAGE=s3``), which is backed up by its own means.

The archive never holds ``SECRET_KEY``, ``DATA_ENCRYPTION_KEY`` or ``CREDENTIAL_SIGNING_KEY``: keep them apart
(a stolen backup without the data key yields no ID number). A restore needs the same data key to read what was
sealed; restore says so when the check value differs.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
# Tables that migrations fill by themselves: a database holding only these is empty.
_BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "django_session"}

Progress = Callable[[int], Any]


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why and what to do."""


@dataclass
class Manifest:
    format: int
    version: str
    created_at: str
    engine: str
    rows: dict[str, int]
    files: dict[str, int]
    key_check: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        return cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})


def _version() -> str:
    try:
        return version("zhijiao")
    except PackageNotFoundError:  # pragma: no cover - a source tree without installation
        return "unknown"


def key_check() -> str:
    """A check value of DATA_ENCRYPTION_KEY: equal values mean the same key; the key cannot be derived from it."""
    return hmac.new(settings.DATA_ENCRYPTION_KEY.encode(), b"zhijiao/backup/key-check/v1", hashlib.sha256).hexdigest()[
        :16
    ]


def engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql" if connection.vendor == "postgresql" else ""


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    return sorted(table for table in connection.introspection.django_table_names() if table in existing)


def count_rows(tables: list[str], cursor: Any, quote: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - table names from Django's models
        counts[table] = int(cursor.fetchone()[0])
    return counts


def live_rows() -> dict[str, int]:
    """Rows per table of the configured database (tables that exist)."""
    with connection.cursor() as cursor:
        return count_rows(_tables(), cursor, connection.ops.quote_name)


def is_empty() -> bool:
    """Whether the database holds nothing but what migrations write by themselves."""
    return not any(count for table, count in live_rows().items() if table not in _BOOKKEEPING)


def file_roots() -> dict[str, Path]:
    """The local directories whose files a backup holds, by their name in the archive."""
    from .uploads import private_root

    roots = {"private": private_root()}
    if settings.MEDIA_STORAGE == "local":
        roots["media"] = Path(settings.MEDIA_ROOT)
    return roots


def _files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("找不到 %(tool)s：请安装 PostgreSQL 客户端工具（Debian：postgresql-client）") % {"tool": name}
        )
    return path


def _run(argv: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        message = " ".join((result.stderr or result.stdout).split())[:500]
        raise BackupError(_("%(tool)s 失败：%(message)s") % {"tool": Path(argv[0]).name, "message": message})


@dataclass
class Plan:
    """What a backup is about to write, so a caller can size its progress bars."""

    tables: list[str]
    files: dict[str, list[Path]]

    @property
    def file_count(self) -> int:
        return sum(len(paths) for paths in self.files.values())


def backup_plan() -> Plan:
    kind = engine()
    if not kind:
        raise BackupError(_("只能备份 SQLite 和 PostgreSQL 数据库"))
    return Plan(tables=_tables(), files={name: list(_files(root)) for name, root in file_roots().items()})


def backup_write(
    *, path: Path, plan: Plan, on_table: Progress | None = None, on_file: Progress | None = None
) -> Manifest:
    """Write the archive at ``path`` (through a temporary file beside it, renamed when complete)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="zhijiao-backup-") as work:
        work_dir = Path(work)
        if engine() == "sqlite":
            snapshot = work_dir / SQLITE_MEMBER
            connection.ensure_connection()
            target = sqlite3.connect(snapshot)
            try:
                connection.connection.backup(target)
                # Counted on the copy itself, so the manifest describes exactly what the archive holds.
                rows = count_rows(plan.tables, target.cursor(), connection.ops.quote_name)
            finally:
                target.close()
            if on_table:
                on_table(len(plan.tables))
            member = SQLITE_MEMBER
        else:
            snapshot = work_dir / PG_MEMBER
            args, env = _pg_env()
            _run(
                [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(snapshot), *args],
                env,
            )
            rows = {}
            with connection.cursor() as cursor:
                for table in plan.tables:
                    rows.update(count_rows([table], cursor, connection.ops.quote_name))
                    if on_table:
                        on_table(1)
            member = PG_MEMBER
        manifest = Manifest(
            format=FORMAT,
            version=_version(),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            engine=engine(),
            rows=rows,
            files={name: len(paths) for name, paths in plan.files.items()},
            key_check=key_check(),
            extra={"media_storage": settings.MEDIA_STORAGE},
        )
        partial = path.with_name(path.name + ".partial")
        roots = file_roots()
        with tarfile.open(partial, "w:gz", compresslevel=1) as archive:  # media are mostly compressed already
            data = manifest.to_json().encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(snapshot, arcname=member)
            for name, paths in plan.files.items():
                for file in paths:
                    archive.add(file, arcname=f"{name}/{file.relative_to(roots[name]).as_posix()}", recursive=False)
                    if on_file:
                        on_file(1)
        partial.replace(path)
    return manifest


def manifest_read(path: Path) -> Manifest:
    try:
        with tarfile.open(path, "r:*") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = Manifest.from_json(member.read().decode())
    except (OSError, tarfile.TarError, KeyError, ValueError, TypeError) as exc:
        raise BackupError(_("%(path)s 不是智教的备份文件（%(error)s）") % {"path": path, "error": exc}) from exc
    if manifest.format != FORMAT:
        raise BackupError(
            _("%(path)s 的备份格式为 %(found)s，本版本只能读取格式 %(known)s")
            % {"path": path, "found": manifest.format, "known": FORMAT}
        )
    return manifest


@dataclass
class Restored:
    manifest: Manifest
    rows: dict[str, int]
    files: int

    @property
    def differences(self) -> dict[str, tuple[int, int]]:
        """Tables whose row count differs from the manifest: (in the archive, now)."""
        return {
            table: (count, self.rows.get(table, -1))
            for table, count in self.manifest.rows.items()
            if self.rows.get(table, -1) != count
        }


def restore(*, path: Path, force: bool, on_file: Progress | None = None) -> Restored:
    """Put the archive's database and files in place of the configured ones."""
    manifest = manifest_read(path)
    if manifest.engine != engine():
        raise BackupError(
            _("备份中的数据库是 %(archive)s，DATABASE_URL 指向 %(current)s：只能恢复到同类数据库")
            % {"archive": manifest.engine, "current": engine() or connection.vendor}
        )
    if not force and not is_empty():
        raise BackupError(_("数据库中已有数据：确认要用备份替换时，请加 --force"))
    roots = file_roots()
    with tempfile.TemporaryDirectory(prefix="zhijiao-restore-") as work, tarfile.open(path, "r:*") as archive:
        work_dir = Path(work)
        member = SQLITE_MEMBER if manifest.engine == "sqlite" else PG_MEMBER
        # The data filter refuses absolute paths, links out of the target and device files.
        archive.extract(member, work_dir, filter="data")
        snapshot = work_dir / member
        if manifest.engine == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(snapshot)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            connections.close_all()  # pg_restore --clean drops tables; our idle connection must not hold locks
            args, env = _pg_env()
            _run(
                [
                    _tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    *args,
                    str(snapshot),
                ],
                env,
            )
        files = 0
        for item in archive:
            name, _slash, rest = item.name.partition("/")
            if not item.isfile() or name not in ("media", "private") or not rest:
                continue
            if name not in roots:
                continue  # media in object storage: not restored here
            roots[name].mkdir(parents=True, exist_ok=True)
            item.name = rest
            archive.extract(item, roots[name], filter="data")
            files += 1
            if on_file:
                on_file(1)
    connections.close_all()
    return Restored(manifest=manifest, rows=live_rows(), files=files)
