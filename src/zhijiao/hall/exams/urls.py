"""Pages of the exam services, mounted by ``zhijiao.hall.urls`` at /hall/ in the hall's namespace (``hall:scores``)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("notices/", views.notices, name="notices"),
    path("notices/<id:notice_id>/", views.notice_detail, name="notice_detail"),
    path("attachments/<id:attachment_id>/", views.attachment, name="attachment"),
    path("special-lists/", views.special_lists, name="special_lists"),
    path("special-lists/<id:list_id>/", views.special_list_detail, name="special_list_detail"),
    path("scores/", views.scores, name="scores"),
    path("scores/mine/", views.my_scores, name="my_scores"),
    path("scores/certificate.pdf", views.score_certificate_pdf, name="score_certificate_pdf"),
    path("scores/certificate.json", views.score_certificate_json, name="score_certificate_json"),
]
