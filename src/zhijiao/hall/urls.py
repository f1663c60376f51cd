"""The service hall at /hall/: the only URL module the site mounts there.

The hall's own pages and the exam services share the ``hall`` namespace (``hall:index``, ``hall:scores`` …); study
abroad (``abroad:``), academic records (``records:``) and the holder's and issuers' certificate pages of the
credentials kernel (``credentials:``) keep namespaces of their own under their prefixes.
"""

from django.urls import URLPattern, URLResolver, include, path

from . import views

_hall: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("office/", views.office, name="office"),
    path("", include("zhijiao.hall.exams.urls")),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("degrees/", include("zhijiao.credentials.urls")),
    path("abroad/", include("zhijiao.hall.abroad.urls")),
    path("", include((_hall, "hall"))),
]
