"""Academic records and verification reports moved to ``hall.records`` (label ``records``): a change of the code
only. Their tables keep their names (``credentials_academicrecord``, ``credentials_verificationreport``) and their
data; this migration removes them from the credentials app's state, ``records.0001_initial`` adds them to the
records app's state (and renames their content types, so permissions and admin history follow them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="VerificationReport"),
                migrations.DeleteModel(name="AcademicRecord"),
            ],
            database_operations=[],
        ),
    ]
