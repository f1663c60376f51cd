from django.urls import path

from . import attempt_views as views

app_name = "attempts"
urlpatterns = [
    # An assessment block inside a unit: its rules, the reader's attempts, start/continue (htmx; a page without JS)
    path("blocks/<uuid:content_id>/", views.block, name="block"),
    path("blocks/<uuid:content_id>/start", views.start, name="start"),
    # An attempt: the paper with its countdown, answers saved one by one (JS) or all at once, submit [auth]
    path("attempts/<id:attempt_id>/", views.attempt, name="attempt"),
    path("attempts/<id:attempt_id>/answers/<id:position>", views.answer, name="answer"),
    path("attempts/<id:attempt_id>/answers/<id:position>/file", views.upload, name="upload"),
    path("attempts/<id:attempt_id>/result/", views.result, name="result"),
    # An uploaded answer file: its learner, the run's teaching team, an assigned peer reviewer [auth]
    path("files/<id:file_id>/", views.answer_file, name="file"),
]
