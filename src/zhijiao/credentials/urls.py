from django.urls import URLPattern, path

from . import views

app_name = "credentials"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("reports/", views.report_create, name="report_create"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/extend/", views.report_extend, name="report_extend"),
    path("reports/<int:report_id>/revoke/", views.report_revoke, name="report_revoke"),
    path("certificates/", views.certificates, name="certificates"),
    path("certificates/<int:credential_id>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:credential_id>/json/", views.certificate_json, name="certificate_json"),
    path("import/", views.records_import, name="records_import"),
    path("issued/", views.issued, name="issued"),
    path("issued/<int:credential_id>/revoke/", views.credential_revoke, name="credential_revoke"),
]
