"""The academic records and verification reports, moved here from the credentials app without touching the
database: their tables keep their names and data (``Meta.db_table``), so every operation below changes Django's
state only; ``credentials.0002`` removed them from the credentials app's state. The content types (and so the
permissions and admin history attached to them) are renamed from ``credentials`` to ``records``."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import zhijiao.core.fields

MOVED = ("academicrecord", "verificationreport")


def rename_content_types(apps, schema_editor, *, old="credentials", new="records"):
    """The moved models' content types under their new app label (a fresh database has none yet)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def restore_content_types(apps, schema_editor):
    rename_content_types(apps, schema_editor, old="records", new="credentials")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("credentials", "0002_academic_records_move_to_hall_records"),
        ("orgs", "0002_registrar_role"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AcademicRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="创建时间")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                        ("holder_name", models.CharField(max_length=50, verbose_name="姓名")),
                        (
                            "id_number",
                            zhijiao.core.fields.EncryptedTextField(
                                context="credentials.academicrecord.id_number", verbose_name="身份证号码（密文）"
                            ),
                        ),
                        (
                            "id_number_index",
                            models.CharField(
                                db_index=True, editable=False, max_length=64, verbose_name="身份证号码索引"
                            ),
                        ),
                        (
                            "id_number_masked",
                            models.CharField(editable=False, max_length=18, verbose_name="身份证号码"),
                        ),
                        ("programme", models.CharField(max_length=80, verbose_name="专业")),
                        (
                            "level",
                            models.CharField(
                                choices=[
                                    ("associate", "专科"),
                                    ("bachelor", "本科"),
                                    ("master", "硕士研究生"),
                                    ("doctor", "博士研究生"),
                                ],
                                max_length=16,
                                verbose_name="层次",
                            ),
                        ),
                        (
                            "record_type",
                            models.CharField(
                                choices=[("status", "学籍"), ("qualification", "学历"), ("degree", "学位")],
                                max_length=16,
                                verbose_name="类型",
                            ),
                        ),
                        ("entry_date", models.DateField(verbose_name="入学日期")),
                        ("end_date", models.DateField(blank=True, null=True, verbose_name="毕业（结业、授予）日期")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("enrolled", "在籍"),
                                    ("suspended", "休学"),
                                    ("dropped", "退学"),
                                    ("graduated", "毕业"),
                                    ("completed", "结业"),
                                    ("incomplete", "肄业"),
                                    ("awarded", "授予"),
                                ],
                                max_length=16,
                                verbose_name="状态",
                            ),
                        ),
                        ("certificate_number", models.CharField(blank=True, max_length=40, verbose_name="证书编号")),
                        (
                            "imported_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="导入人",
                            ),
                        ),
                        (
                            "university",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="academic_records",
                                to="orgs.organization",
                                verbose_name="院校",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "学籍学历学位记录",
                        "verbose_name_plural": "学籍学历学位记录",
                        "db_table": "credentials_academicrecord",
                        "ordering": ["record_type", "-entry_date", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="VerificationReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="创建时间")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                        (
                            "days",
                            models.PositiveSmallIntegerField(
                                choices=[(30, "30 天"), (90, "90 天"), (180, "180 天")], verbose_name="有效天数"
                            ),
                        ),
                        (
                            "credential",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="report",
                                to="credentials.credential",
                                verbose_name="签名凭证",
                            ),
                        ),
                        (
                            "holder_user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="verification_reports",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="持有人",
                            ),
                        ),
                        (
                            "record",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reports",
                                to="records.academicrecord",
                                verbose_name="记录",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "在线验证报告",
                        "verbose_name_plural": "在线验证报告",
                        "db_table": "credentials_verificationreport",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="academicrecord",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("certificate_number", ""), _negated=True),
                        fields=("record_type", "certificate_number"),
                        name="credentials_record_unique_certificate",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="academicrecord",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("end_date__isnull", True), ("end_date__gte", models.F("entry_date")), _connector="OR"
                        ),
                        name="credentials_record_dates_in_order",
                    ),
                ),
                migrations.AddIndex(
                    model_name="verificationreport",
                    index=models.Index(fields=["holder_user", "-created_at"], name="credentials_holder__34a1ba_idx"),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, restore_content_types, elidable=True),
    ]
