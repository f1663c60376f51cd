from django.urls import path

from . import views
from .views import authoring, certificates, grading, learning, teaching

app_name = "courses"
urlpatterns = [
    # Authoring [auth]
    path("teach/", authoring.teach, name="teach"),
    path("<int:course_id>/edit/", authoring.edit, name="edit"),
    path("<int:course_id>/edit/outline/", authoring.edit_outline, name="edit_outline"),
    path("<int:course_id>/edit/nodes/add", authoring.node_add, name="edit_node_add"),
    path("<int:course_id>/edit/nodes/<int:node_id>/rename", authoring.node_rename, name="edit_node_rename"),
    path("<int:course_id>/edit/nodes/<int:node_id>/remove", authoring.node_remove, name="edit_node_remove"),
    path("<int:course_id>/edit/nodes/<int:node_id>/move", authoring.node_move, name="edit_node_move"),
    path("<int:course_id>/edit/nodes/<int:node_id>/copy", authoring.node_copy, name="edit_node_copy"),
    path("<int:course_id>/edit/units/<int:node_id>/", authoring.edit_unit, name="edit_unit"),
    path(
        "<int:course_id>/edit/units/<int:node_id>/blocks/new/<slug:type_name>/",
        authoring.block_new,
        name="edit_block_new",
    ),
    path("<int:course_id>/edit/blocks/<int:block_id>/", authoring.block_edit, name="edit_block"),
    path("<int:course_id>/edit/blocks/<int:block_id>/remove", authoring.block_remove, name="edit_block_remove"),
    path("<int:course_id>/edit/blocks/<int:block_id>/move", authoring.block_move, name="edit_block_move"),
    path("<int:course_id>/edit/publish/", authoring.publish, name="publish"),
    path("<int:course_id>/edit/copy", authoring.course_copy, name="edit_copy"),
    path("certificates/", certificates.certificates, name="certificates"),
    path("certificates/<int:certificate_id>/pdf", certificates.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:certificate_id>/vc.json", certificates.certificate_json, name="certificate_json"),
    path("<int:course_id>/units/<uuid:content_id>/", views.unit, name="unit"),
    path("<int:course_id>/media/<str:content_id>/<slug:slot>", views.media, name="media"),
    # Run management (开课管理): the run's teachers and assistants.
    path("<int:course_id>/runs/", teaching.run_list, name="run_list"),
    path("<int:course_id>/runs/new/", teaching.run_create, name="run_create"),
    path("<int:course_id>/runs/<int:run_id>/", teaching.run_settings, name="run_settings"),
    path("<int:course_id>/runs/<int:run_id>/schedule/", teaching.run_schedule, name="run_schedule"),
    path("<int:course_id>/runs/<int:run_id>/staff/", teaching.run_staff, name="run_staff"),
    path(
        "<int:course_id>/runs/<int:run_id>/staff/<int:user_id>/remove/",
        teaching.run_staff_remove,
        name="run_staff_remove",
    ),
    path("<int:course_id>/runs/<int:run_id>/roster/", teaching.run_roster, name="run_roster"),
    path(
        "<int:course_id>/runs/<int:run_id>/roster/template.csv",
        teaching.run_roster_template,
        name="run_roster_template",
    ),
    path(
        "<int:course_id>/runs/<int:run_id>/roster/<int:entry_id>/remove/",
        teaching.run_roster_remove,
        name="run_roster_remove",
    ),
    path("<int:course_id>/runs/<int:run_id>/learners/", teaching.run_learners, name="run_learners"),
    path("<int:course_id>/runs/<int:run_id>/announcements/", teaching.run_announcements, name="run_announcements"),
    path("<int:course_id>/runs/<int:run_id>/grading/", grading.run_grading, name="run_grading"),
    path("<int:course_id>/runs/<int:run_id>/grading/regrade/", grading.run_regrade, name="run_regrade"),
    path("<int:course_id>/runs/<int:run_id>/gradebook/", grading.gradebook, name="gradebook"),
    path("<int:course_id>/runs/<int:run_id>/gradebook/export.xlsx", grading.gradebook_export, name="gradebook_export"),
    path(
        "<int:course_id>/runs/<int:run_id>/gradebook/<int:user_id>/",
        grading.gradebook_learner,
        name="gradebook_learner",
    ),
    # The learners' side: the course page, enrolling, learning, 我的课程, rating.
    path("mine/", learning.mine, name="mine"),
    path("<int:course_id>/", learning.course_page, name="course"),
    path("<int:course_id>/enrol/", learning.enrol, name="enrol"),
    path("<int:course_id>/learn/", learning.learn, name="learn"),
    path("<int:course_id>/learn/<uuid:content_id>/", learning.learn_unit, name="learn-unit"),
    path("<int:course_id>/rating/", learning.rate, name="rate"),
    path("<int:course_id>/progress/", grading.progress, name="progress"),
]
