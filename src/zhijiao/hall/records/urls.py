"""Pages of the academic records, mounted by ``zhijiao.hall.urls`` at /hall/degrees/."""

from django.urls import URLPattern, path

from . import views

app_name = "records"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("reports/", views.report_create, name="report_create"),
    path("reports/<id:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<id:report_id>/extend/", views.report_extend, name="report_extend"),
    path("reports/<id:report_id>/revoke/", views.report_revoke, name="report_revoke"),
    path("import/", views.records_import, name="records_import"),
]
