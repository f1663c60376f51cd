"""The published-modules contract catches an import past another app's services, selectors and models."""

from pathlib import Path

import grimp
import pytest

from tools.importcontracts import PublishedModulesContract

MODULES = {
    "__init__.py": "",
    "core/__init__.py": "",
    "core/apps.py": "",
    "core/util.py": "",
    "b/__init__.py": "",
    "b/apps.py": "",
    "b/models.py": "",
    "b/forms.py": "",
    "b/services.py": "from pkgx.b import forms\n",
    "b/selectors/__init__.py": "",
    "b/selectors/jobs.py": "",
    "a/__init__.py": "",
    "a/apps.py": "",
    "a/views.py": (
        "from pkgx.core import util\n"
        "from pkgx.b import services\n"
        "from pkgx.b.selectors import jobs\n"
        "from pkgx.b.models import *\n"
        "from pkgx.b.forms import *\n"
    ),
    "a/tests/__init__.py": "",
    "a/tests/test_views.py": "from pkgx.b import forms\n",
    "hall/__init__.py": "",
    "hall/apps.py": "",
    "hall/forms.py": "",
    "hall/services/__init__.py": "",
    "hall/services/booking.py": "",
    "hall/exams/__init__.py": "",
    "hall/exams/apps.py": "",
    "hall/exams/forms.py": "",
    "hall/exams/views.py": (
        "from pkgx.hall.services import booking\nfrom pkgx.hall.exams import forms\nimport pkgx.hall.forms\n"
    ),
}


@pytest.fixture
def graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> grimp.ImportGraph:
    for name, text in MODULES.items():
        path = tmp_path / "pkgx" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    return grimp.build_graph("pkgx", cache_dir=None)


def contract(**options: object) -> PublishedModulesContract:
    defaults: dict[str, object] = {
        "apps": ["pkgx.**"],
        "app_marker": "apps",
        "published": ["services", "selectors", "models"],
        "shared": ["pkgx.core"],
        "unchecked": ["pkgx.**.tests"],
    }
    return PublishedModulesContract(
        name="published", session_options={"root_packages": ["pkgx"]}, contract_options={**defaults, **options}
    )


def test_imports_past_the_published_modules_break_the_contract(graph: grimp.ImportGraph) -> None:
    check = contract().check(graph, verbose=False)
    assert not check.kept
    assert [(c.importer, c.imported, c.importer_app, c.imported_app) for c in check.metadata["crossings"]] == [
        ("pkgx.a.views", "pkgx.b.forms", "pkgx.a", "pkgx.b"),
        ("pkgx.hall.exams.views", "pkgx.hall.forms", "pkgx.hall.exams", "pkgx.hall"),
    ]
    assert check.metadata["crossings"][0].line_numbers == (5,)


def test_also_published_and_ignored_imports_keep_it(graph: grimp.ImportGraph) -> None:
    check = contract(
        also_published=["pkgx.b.forms"], ignore_imports=["pkgx.hall.exams.views -> pkgx.hall.forms"]
    ).check(graph, verbose=False)
    assert check.kept
    assert check.ignored_import_count == 1
