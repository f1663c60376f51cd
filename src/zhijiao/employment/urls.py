"""The employment pages under /employment/. A selector's NotFound becomes the 404 page in
core.middleware.PageErrorMiddleware, not here."""

from django.urls import path

from . import views

app_name = "employment"
urlpatterns = [
    path("", views.index, name="index"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/new/", views.job_create, name="job_create"),
    path("jobs/import/", views.job_import, name="job_import"),
    path("jobs/<id:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<id:job_id>/apply/", views.job_apply, name="job_apply"),
    path("jobs/<id:job_id>/edit/", views.job_edit, name="job_edit"),
    path("jobs/<id:job_id>/publish/", views.job_publish, name="job_publish"),
    path("jobs/<id:job_id>/share/", views.job_share, name="job_share"),
    path("jobs/<id:job_id>/applications/", views.job_pipeline, name="job_pipeline"),
    path("searches/", views.saved_search_create, name="saved_search_create"),
    path("searches/<id:saved_id>/delete/", views.saved_search_delete, name="saved_search_delete"),
    path("employer/", views.employer_home, name="employer_home"),
    path("employer/register/", views.employer_register, name="employer_register"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<id:profile_id>/", views.review_decide, name="review_decide"),
    path("review/<id:profile_id>/licence/", views.review_licence, name="review_licence"),
    path("me/", views.graduate_home, name="graduate_home"),
    path("me/push/", views.push_preferences, name="push_preferences"),
    path("me/pushes/", views.pushes, name="pushes"),
    path("push/stop/<str:token>/", views.push_stop, name="push_stop"),
    path("resumes/new/", views.resume_new, name="resume_new"),
    path("resumes/<id:resume_id>/", views.resume_edit, name="resume_edit"),
    path("resumes/<id:resume_id>/action/", views.resume_action, name="resume_action"),
    path("resumes/<id:resume_id>/view/", views.resume_view, name="resume_view"),
    path("resumes/<id:resume_id>/pdf/", views.resume_download, name="resume_download"),
    path("applications/<id:application_id>/", views.application_detail, name="application_detail"),
    path("applications/<id:application_id>/move/", views.application_move, name="application_move"),
    path("applications/<id:application_id>/respond/", views.application_respond, name="application_respond"),
    path("agreements/verify/", views.agreement_verify, name="agreement_verify"),
    path("agreements/verify/<str:code>/", views.agreement_verify_code, name="agreement_verify_code"),
    path("agreements/<id:agreement_id>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<id:agreement_id>/action/", views.agreement_action, name="agreement_action"),
    path("agreements/<id:agreement_id>/pdf/", views.agreement_download, name="agreement_download"),
    path("office/", views.office, name="office"),
    path("office/graduates/<id:graduate_id>/confirm/", views.office_confirm, name="office_confirm"),
    path("office/destinations.xlsx", views.office_destinations, name="office_destinations"),
    path("office/roster/", views.office_roster, name="office_roster"),
    path("office/roster-template.csv", views.office_roster_template, name="office_roster_template"),
]
