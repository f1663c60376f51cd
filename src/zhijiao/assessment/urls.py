from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    # The course's question bank, under its authoring area (/courses/<id>/edit/questions/) [auth]
    path("", views.bank, name="bank"),
    path("new/<slug:type_name>/", views.question_new, name="question_new"),
    path("template.xlsx", views.template, name="template"),
    path("export.<str:format>", views.export, name="export"),
    path("import", views.bank_import, name="import"),
    path("<id:question_id>/", views.question_edit, name="question"),
    path("<id:question_id>/versions/", views.question_history, name="history"),
    path("<id:question_id>/archive", views.question_archive, name="archive"),
]
