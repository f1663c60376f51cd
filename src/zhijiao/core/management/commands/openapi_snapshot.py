"""Write the API's OpenAPI schema to docs/openapi.json, the committed snapshot every API change updates."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhijiao.core.api import mounted_apis, openapi_document, openapi_snapshot_path


class Command(BaseCommand):
    help = "Write the OpenAPI schema of /api/v1/ to docs/openapi.json (or compare with --check)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Only compare; exit 1 when the snapshot is stale.")
        parser.add_argument("--output", help="Write here instead of docs/openapi.json.")

    def handle(self, *args: Any, check: bool = False, output: str | None = None, **options: Any) -> None:
        from pathlib import Path

        # The API the site serves (ROOT_URLCONF), found through the URLconf: the kernel imports no project module.
        apis = mounted_apis()
        if len(apis) != 1:
            raise CommandError(f"expected the site to serve one API, found: {', '.join(sorted(apis)) or 'none'}")
        [api] = apis.values()
        path = Path(output) if output else openapi_snapshot_path()
        document = openapi_document(api)
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if check:
            if current != document:
                raise CommandError(f"{path} is out of date: run `uv run python -m django openapi_snapshot`")
            self.stdout.write(f"{path} is up to date")
            return
        if current == document:
            self.stdout.write(f"{path} is already up to date")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"wrote {path}"))
