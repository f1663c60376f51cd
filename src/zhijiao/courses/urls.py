from django.urls import path

from . import views
from .views import authoring, certificates, grading, learning, teaching

app_name = "courses"
urlpatterns = [
    # Authoring [auth]
    path("teach/", authoring.teach, name="teach"),
    path("<id:course_id>/edit/", authoring.edit, name="edit"),
    path("<id:course_id>/edit/outline/", authoring.edit_outline, name="edit_outline"),
    path("<id:course_id>/edit/nodes/add", authoring.node_add, name="edit_node_add"),
    path("<id:course_id>/edit/nodes/<id:node_id>/rename", authoring.node_rename, name="edit_node_rename"),
    path("<id:course_id>/edit/nodes/<id:node_id>/remove", authoring.node_remove, name="edit_node_remove"),
    path("<id:course_id>/edit/nodes/<id:node_id>/move", authoring.node_move, name="edit_node_move"),
    path("<id:course_id>/edit/nodes/<id:node_id>/copy", authoring.node_copy, name="edit_node_copy"),
    path("<id:course_id>/edit/units/<id:node_id>/", authoring.edit_unit, name="edit_unit"),
    path(
        "<id:course_id>/edit/units/<id:node_id>/blocks/new/<slug:type_name>/",
        authoring.block_new,
        name="edit_block_new",
    ),
    path("<id:course_id>/edit/blocks/<id:block_id>/", authoring.block_edit, name="edit_block"),
    path("<id:course_id>/edit/blocks/<id:block_id>/remove", authoring.block_remove, name="edit_block_remove"),
    path("<id:course_id>/edit/blocks/<id:block_id>/move", authoring.block_move, name="edit_block_move"),
    path("<id:course_id>/edit/publish/", authoring.publish, name="publish"),
    path("<id:course_id>/edit/copy", authoring.course_copy, name="edit_copy"),
    path("certificates/", certificates.certificates, name="certificates"),
    path("certificates/<id:certificate_id>/pdf", certificates.certificate_pdf, name="certificate_pdf"),
    path("certificates/<id:certificate_id>/vc.json", certificates.certificate_json, name="certificate_json"),
    path("<id:course_id>/units/<uuid:content_id>/", views.unit, name="unit"),
    path("<id:course_id>/media/<str:content_id>/<slug:slot>", views.media, name="media"),
    # Run management (开课管理): the run's teachers and assistants.
    path("<id:course_id>/runs/", teaching.run_list, name="run_list"),
    path("<id:course_id>/runs/new/", teaching.run_create, name="run_create"),
    path("<id:course_id>/runs/<id:run_id>/", teaching.run_settings, name="run_settings"),
    path("<id:course_id>/runs/<id:run_id>/schedule/", teaching.run_schedule, name="run_schedule"),
    path("<id:course_id>/runs/<id:run_id>/staff/", teaching.run_staff, name="run_staff"),
    path(
        "<id:course_id>/runs/<id:run_id>/staff/<id:user_id>/remove/",
        teaching.run_staff_remove,
        name="run_staff_remove",
    ),
    path("<id:course_id>/runs/<id:run_id>/roster/", teaching.run_roster, name="run_roster"),
    path(
        "<id:course_id>/runs/<id:run_id>/roster/template.csv",
        teaching.run_roster_template,
        name="run_roster_template",
    ),
    path(
        "<id:course_id>/runs/<id:run_id>/roster/<id:entry_id>/remove/",
        teaching.run_roster_remove,
        name="run_roster_remove",
    ),
    path("<id:course_id>/runs/<id:run_id>/learners/", teaching.run_learners, name="run_learners"),
    path("<id:course_id>/runs/<id:run_id>/announcements/", teaching.run_announcements, name="run_announcements"),
    path("<id:course_id>/runs/<id:run_id>/grading/", grading.run_grading, name="run_grading"),
    path("<id:course_id>/runs/<id:run_id>/grading/regrade/", grading.run_regrade, name="run_regrade"),
    path("<id:course_id>/runs/<id:run_id>/gradebook/", grading.gradebook, name="gradebook"),
    path("<id:course_id>/runs/<id:run_id>/gradebook/export.xlsx", grading.gradebook_export, name="gradebook_export"),
    path(
        "<id:course_id>/runs/<id:run_id>/gradebook/<id:user_id>/",
        grading.gradebook_learner,
        name="gradebook_learner",
    ),
    # The learners' side: the course page, enrolling, learning, 我的课程, rating.
    path("mine/", learning.mine, name="mine"),
    path("<id:course_id>/", learning.course_page, name="course"),
    path("<id:course_id>/enrol/", learning.enrol, name="enrol"),
    path("<id:course_id>/learn/", learning.learn, name="learn"),
    path("<id:course_id>/learn/<uuid:content_id>/", learning.learn_unit, name="learn-unit"),
    path("<id:course_id>/rating/", learning.rate, name="rate"),
    path("<id:course_id>/progress/", grading.progress, name="progress"),
]
