from django.urls import path

from . import views

app_name = "hall"
urlpatterns = [
    path("", views.index, name="index"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:notice_id>/", views.notice_detail, name="notice_detail"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("special-lists/", views.special_lists, name="special_lists"),
    path("special-lists/<int:list_id>/", views.special_list_detail, name="special_list_detail"),
    path("scores/", views.scores, name="scores"),
    path("scores/mine/", views.my_scores, name="my_scores"),
    path("scores/certificate.pdf", views.score_certificate_pdf, name="score_certificate_pdf"),
    path("scores/certificate.json", views.score_certificate_json, name="score_certificate_json"),
    path("mine/", views.my_services, name="mine"),
    path("office/", views.office, name="office"),
]
