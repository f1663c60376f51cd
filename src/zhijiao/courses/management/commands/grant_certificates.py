"""Grant course certificates now: for the runs named, or the periodic pass (every ended run not yet processed)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhijiao.core.errors import DomainError, NotFound
from zhijiao.courses import selectors, services


class Command(BaseCommand):
    help = "Grant course certificates for ended runs now (--run ID …), or run the periodic pass once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--run", type=int, action="append", default=[], help="a run id (repeatable)")

    def handle(self, *args: Any, run: list[int], **options: Any) -> None:
        if not run:
            result = services.certificates_grant_due()
            self.stdout.write(f"runs {result.runs}, created {result.created}, issued {result.issued}")
            return
        for run_id in run:
            try:
                found = selectors.run_for_staff(run_id=run_id)
                result = services.run_certificates_grant_now(actor=None, run=found)
            except NotFound as exc:
                raise CommandError(f"run {run_id}: no such run") from exc
            except DomainError as exc:
                raise CommandError(f"run {run_id}: {exc.message}") from exc
            self.stdout.write(
                f"run {run_id}: created {result.created}, issued {result.issued}, awaiting {result.awaiting}"
            )
