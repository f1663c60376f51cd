from django.urls import path

from . import views
from .views import certificates

app_name = "courses"
urlpatterns = [
    path("certificates/", certificates.certificates, name="certificates"),
    path("certificates/<int:certificate_id>/pdf", certificates.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:certificate_id>/vc.json", certificates.certificate_json, name="certificate_json"),
    path("<int:course_id>/units/<uuid:content_id>/", views.unit, name="unit"),
    path("<int:course_id>/media/<str:content_id>/<slug:slot>", views.media, name="media"),
    # The course page is the learners' entry; its view comes with the learning pages.
    path("<int:course_id>/", views.course, name="course"),
]
