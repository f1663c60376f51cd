"""Pages of the study-abroad services under /hall/abroad/: applicants' pages first, then the officers' office."""

from django.urls import URLPattern, path

from . import views

app_name = "abroad"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("start/<slug:service>/", views.application_start, name="application_start"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<id:application_id>/", views.application_detail, name="application_detail"),
    path("applications/<id:application_id>/edit/", views.application_edit, name="application_edit"),
    path("applications/<id:application_id>/submit/", views.application_submit, name="application_submit"),
    path("applications/<id:application_id>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<id:application_id>/documents/", views.document_upload, name="document_upload"),
    path(
        "applications/<id:application_id>/documents/<id:document_id>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "applications/<id:application_id>/documents/<id:document_id>/remove/",
        views.document_remove,
        name="document_remove",
    ),
    path(
        "applications/<id:application_id>/documents/<id:document_id>/check/",
        views.document_check,
        name="document_check",
    ),
    path("applications/<id:application_id>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("applications/<id:application_id>/certificate.json", views.certificate_json, name="certificate_json"),
    path("applications/<id:application_id>/placement.pdf", views.placement_letter, name="placement_letter"),
    path("office/", views.queue, name="queue"),
    path("office/bulk/", views.bulk_decide, name="bulk_decide"),
    path("office/applications/<id:application_id>/", views.review, name="review"),
    path("office/applications/<id:application_id>/decide/", views.decide, name="decide"),
    path("office/<slug:service>/", views.queue, name="service_queue"),
]
