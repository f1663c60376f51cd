"""import-linter contract types of our own (``contract_types`` in pyproject.toml); no production code imports this.

``lint-imports`` runs from the repository's root, which it puts on ``sys.path``, so ``tools.importcontracts`` is found
there; ``tools/test_importcontracts.py`` shows the contract catching a violation on a package of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from grimp import ImportGraph
from importlinter.application import contract_utils, output
from importlinter.application.contract_utils import AlertLevel
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck
from importlinter.domain.helpers import module_expressions_to_modules


@dataclass(frozen=True, order=True)
class Crossing:
    """One direct import from one app into another app's module that the other app does not publish."""

    importer: str
    imported: str
    importer_app: str
    imported_app: str
    line_numbers: tuple[int, ...]


class PublishedModulesContract(Contract):
    """Apps import one another only through the modules each app publishes.

    Works from the module graph, not from a fixed list of apps, so new apps and apps split into packages are held
    to it as they appear:

    - ``apps``: module expressions where app roots are looked for (``zhijiao.**``), and ``app_marker`` (optional):
      the name of the module that makes a match an app root (``apps``, its Django AppConfig), so that packages such
      as ``tests`` or a ``services`` package are not taken for apps. A module belongs to the deepest app root that
      contains it: ``zhijiao.hall.exams.views`` belongs to ``zhijiao.hall.exams``, and an import of
      ``zhijiao.hall.forms`` from it crosses into ``zhijiao.hall``.
    - ``published``: the module names every app publishes (``services``, ``selectors``, ``models``); an import of
      ``<app>.<name>`` or of anything inside it (``<app>.services.jobs`` when services became a package) is fine.
    - ``also_published`` (optional): further modules that are some app's interface (``zhijiao.search.registry``).
    - ``shared`` (optional): app roots that any app may import anything from (the kernel).
    - ``unchecked`` (optional): modules, with everything inside them, whose own imports are not checked: the
      composition root, the command-line entry point, the demo loader, the bench, tests.
    - ``ignore_imports`` / ``unmatched_ignore_imports_alerting`` (optional): as in import-linter's own contracts.

    Only direct imports count: importing ``b.services``, which imports ``b.forms``, is the point of a service.
    """

    type_name = "published_modules"

    apps = fields.SetField(subfield=fields.ModuleExpressionField())
    app_marker = fields.StringField(required=False)
    published = fields.SetField(subfield=fields.StringField())
    also_published = fields.SetField(subfield=fields.ModuleExpressionField(), required=False)
    shared = fields.SetField(subfield=fields.ModuleExpressionField(), required=False)
    unchecked = fields.SetField(subfield=fields.ModuleExpressionField(), required=False)
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(AlertLevel, default=AlertLevel.ERROR)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        roots = self._names(graph, self.apps)
        if self.app_marker:
            roots = {root for root in roots if f"{root}.{self.app_marker}" in graph.modules}
        shared = self._names(graph, self.shared)
        published = set(self.published)  # type: ignore[call-overload]
        also_published = self._names(graph, self.also_published, as_packages=True)
        unchecked = self._names(graph, self.unchecked, as_packages=True)

        crossings: list[Crossing] = []
        for importer in sorted(graph.modules):
            importer_app = _app_of(importer, roots)
            if importer_app is None or importer in unchecked:
                continue
            for imported in graph.find_modules_directly_imported_by(importer):
                imported_app = _app_of(imported, roots)
                if imported_app is None or imported_app == importer_app or imported_app in shared:
                    continue
                if imported == imported_app or imported in also_published:
                    continue  # an app's package itself holds nothing but its name
                if imported[len(imported_app) + 1 :].split(".")[0] in published:
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                lines = tuple(sorted({detail["line_number"] for detail in details}))
                crossings.append(Crossing(importer, imported, importer_app, imported_app, lines))
        output.verbose_print(verbose, f"{len(crossings)} imports reach past another app's published modules.")
        return ContractCheck(
            kept=not crossings,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"crossings": sorted(crossings)},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        published = ", ".join(sorted(self.published))  # type: ignore[call-overload]
        current = None
        for crossing in check.metadata["crossings"]:
            pair = (crossing.importer_app, crossing.imported_app)
            if pair != current:
                if current is not None:
                    output.new_line()
                output.print_error(
                    f"{crossing.importer_app} may import {crossing.imported_app} only through its {published}:"
                )
                current = pair
            lines = ", ".join(f"l.{n}" for n in crossing.line_numbers) or "l.?"
            output.print_error(f"-   {crossing.importer} -> {crossing.imported} ({lines})", bold=False)
        output.new_line()

    @staticmethod
    def _names(graph: ImportGraph, expressions: object, *, as_packages: bool = False) -> set[str]:
        if not expressions:
            return set()
        modules = module_expressions_to_modules(graph, expressions, as_packages=as_packages)  # type: ignore[arg-type]
        return {module.name for module in modules}


def _app_of(module: str, roots: set[str]) -> str | None:
    """The deepest app root that is ``module`` or contains it."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in roots:
            return candidate
    return None
