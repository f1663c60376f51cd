"""Load the official 学科门类 / 一级学科 catalogue (courses/disciplines.py) into the discipline table."""

from typing import Any

from django.db import migrations

from zhijiao.courses.disciplines import discipline_sync


def load(apps: Any, schema_editor: Any) -> None:
    discipline_sync(apps.get_model("courses", "Discipline"))


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_course_catalogue")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
