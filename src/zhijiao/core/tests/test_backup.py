"""`zhijiao backup` and `zhijiao restore` round-trip the database, media and private files (SQLite, and
PostgreSQL when the suite runs there), never carry the keys, and refuse to overwrite data without --force."""

import gzip
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from zhijiao.accounts.services import identity_verify
from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.backup import live_rows
from zhijiao.hall.exams.tests.factories import id_number

from .processes import database_url, process_env

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

TIMEOUT_SECONDS = 120  # a hang guard: the small data set backs up and restores in a few seconds
NUMBERS = [id_number(40 + n, birth="20030412") for n in range(3)]
COVER = bytes(range(256)) * 40
PASSPORT = b"%PDF-1.4 passport scan\n" * 100

READ_BACK = """
import json, django
django.setup()
from zhijiao.accounts.models import Identity
from zhijiao.core.backup import live_rows
print(json.dumps({"rows": live_rows(), "numbers": sorted(i.id_number for i in Identity.objects.all())}))
"""


def zhijiao(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zhijiao.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def read_back(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", READ_BACK], env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def restore_target(tmp_path):
    """A second, empty database of the suite's kind: a new SQLite file, or a new PostgreSQL database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed")
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    source = database_url()
    yield source.rsplit("/", 1)[0] + "/" + name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_rows_sealed_fields_and_files_into_an_empty_installation(tmp_path, restore_target):
    for index, number in enumerate(NUMBERS):
        identity_verify(user=make_user(phone=f"1380000020{index}"), real_name="陈思远", id_number=number)
    source = {"MEDIA_ROOT": str(tmp_path / "media"), "PRIVATE_MEDIA_ROOT": str(tmp_path / "private")}
    (tmp_path / "media" / "articles").mkdir(parents=True)
    (tmp_path / "media" / "articles" / "封面.png").write_bytes(COVER)
    (tmp_path / "private" / "abroad").mkdir(parents=True)
    (tmp_path / "private" / "abroad" / "passport.pdf").write_bytes(PASSPORT)
    archive = tmp_path / "backups" / "nightly.tar.gz"

    made = zhijiao(process_env(tmp_path / "var", **source), "backup", str(archive))
    assert made.returncode == 0, made.stderr
    assert "备份完成" in made.stdout and "DATA_ENCRYPTION_KEY" in made.stdout  # the reminder

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        names = tar.getnames()
    assert manifest["engine"] == ("sqlite" if connection.vendor == "sqlite" else "postgresql")
    assert manifest["rows"]["accounts_identity"] == 3
    assert manifest["files"] == {"media": 1, "private": 1}
    assert {"media/articles/封面.png", "private/abroad/passport.pdf"} <= set(names)
    everything = gzip.decompress(archive.read_bytes())
    for secret in (django_settings.DATA_ENCRYPTION_KEY, django_settings.SECRET_KEY):
        assert secret.encode() not in everything

    target = {
        "DATABASE_URL": restore_target,
        "MEDIA_ROOT": str(tmp_path / "media2"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private2"),
    }
    env = process_env(tmp_path / "var2", **target)
    restored = zhijiao(env, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "各表行数与备份清单一致" in restored.stdout
    assert "DATA_ENCRYPTION_KEY" in restored.stdout

    back = read_back(env)
    assert back["numbers"] == sorted(NUMBERS)  # sealed with the key, read with the same key
    assert {table: back["rows"][table] for table in manifest["rows"]} == manifest["rows"]
    assert manifest["rows"] == {table: count for table, count in live_rows().items() if table in manifest["rows"]}
    assert (tmp_path / "media2" / "articles" / "封面.png").read_bytes() == COVER
    assert (tmp_path / "private2" / "abroad" / "passport.pdf").read_bytes() == PASSPORT

    again = zhijiao(env, "restore", str(archive))
    assert again.returncode == 1
    assert "--force" in again.stderr
    forced = zhijiao(env, "restore", str(archive), "--force")
    assert forced.returncode == 0, forced.stderr
    assert read_back(env)["numbers"] == sorted(NUMBERS)


def test_restore_with_another_data_key_warns_that_sealed_fields_cannot_be_read(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the key check is the same code on PostgreSQL; one database kind is enough")
    archive = tmp_path / "b.tar.gz"
    assert zhijiao(process_env(tmp_path / "var"), "backup", str(archive)).returncode == 0
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    result = zhijiao(
        process_env(tmp_path / "var2", DATABASE_URL=other, DATA_ENCRYPTION_KEY="B" * 43), "restore", str(archive)
    )
    assert result.returncode == 0, result.stderr
    assert "与备份时的不同" in result.stderr


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = Path(tmp_path / "junk.tar.gz")
    junk.write_bytes(b"not an archive")
    result = zhijiao(process_env(tmp_path / "var"), "restore", str(junk))
    assert result.returncode == 1
    assert "不是智教的备份文件" in result.stderr
