"""The service hall at /hall/: the only URL module the site mounts there.

The hall's own pages and the exam services share the ``hall`` namespace (``hall:index``, ``hall:scores`` …); the
academic records (``records:``, under degrees/) and study abroad (``abroad:``, under abroad/) keep namespaces of
their own. The holder's certificates and the issuers' list stay at the addresses they had under degrees/.
"""

from django.urls import URLPattern, URLResolver, include, path

from . import views

_hall: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("office/", views.office, name="office"),
    path("degrees/certificates/", views.certificates, name="certificates"),
    path("degrees/certificates/<id:credential_id>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("degrees/certificates/<id:credential_id>/json/", views.certificate_json, name="certificate_json"),
    path("degrees/issued/", views.issued, name="issued"),
    path("degrees/issued/<id:credential_id>/revoke/", views.credential_revoke, name="credential_revoke"),
    path("", include("zhijiao.hall.exams.urls")),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("degrees/", include("zhijiao.hall.records.urls")),
    path("abroad/", include("zhijiao.hall.abroad.urls")),
    path("", include((_hall, "hall"))),
]
