"""The audit log in the staff screens names each action and kind of object in words, in the reader's language."""

import ast
import importlib
from pathlib import Path
from typing import Any

import pytest

from zhijiao.accounts.tests.factories import make_user
from zhijiao.core.audit import _labels
from zhijiao.k12 import services as k12

PACKAGE = Path(__file__).resolve().parents[2]


@pytest.fixture
def superuser(db: None) -> Any:
    return make_user(display_name="系统管理员", is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_the_log_names_a_new_class_in_chinese_and_in_english(client: Any, superuser: Any, teacher: Any, orgs: Any):
    k12.class_create(actor=teacher, school=orgs["school"], name="四年级（2）班", grade=4)
    client.force_login(superuser)
    page = client.get("/admin/core/auditlog/").content.decode()
    assert '<td class="field-action_label">创建班级</td>' in page
    assert ">k12.class.create<" not in page and ">k12.schoolclass<" not in page
    client.cookies["zj_lang"] = "en"
    page = client.get("/admin/core/auditlog/").content.decode()
    assert '<td class="field-action_label">Create a class</td>' in page
    assert ">k12.class.create<" not in page and "创建班级" not in page


@pytest.mark.django_db
def test_yes_no_columns_and_the_search_button_read_in_chinese(client: Any, superuser: Any) -> None:
    client.force_login(superuser)
    page = client.get("/admin/accounts/user/").content.decode()
    assert 'alt="是"' in page and 'alt="True"' not in page
    assert 'alt="搜索"' in page and 'alt="Search"' not in page


@pytest.mark.django_db
def test_a_groups_permissions_are_named_by_model_and_action(client: Any, superuser: Any) -> None:
    client.force_login(superuser)
    page = client.get("/admin/auth/group/add/").content.decode()
    assert "门户 | 专题 | 添加" in page and "Can add" not in page
    client.cookies["zj_lang"] = "en"
    page = client.get("/admin/auth/group/add/").content.decode()
    assert "Can add" not in page and "Topic | Add" in page.replace("Topics", "Topic")


def _recorded_actions() -> dict[str, set[str]]:
    """Every literal action code the project's code writes to the audit log, by module."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "audit_record":
                for keyword in node.keywords:
                    if keyword.arg != "action" or isinstance(keyword.value, ast.JoinedStr):
                        continue  # an f-string's actions are checked below
                    values = [n.value for n in ast.walk(keyword.value) if isinstance(n, ast.Constant)]
                    module = ".".join(("zhijiao", *path.relative_to(PACKAGE).with_suffix("").parts))
                    found.setdefault(module, set()).update(v for v in values if isinstance(v, str) and "." in v)
    return found


def test_every_action_the_code_records_has_a_name() -> None:
    recorded = _recorded_actions()
    for module in recorded:
        importlib.import_module(module)
    from zhijiao.hall.abroad.workflow import Action

    codes = {code for codes in recorded.values() for code in codes} | {f"abroad.application.{a}" for a in Action}
    unnamed = codes - set(_labels)
    assert unnamed == set()
    assert len(_labels) > 60
