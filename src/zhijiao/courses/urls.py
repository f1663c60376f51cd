from django.urls import path

from . import views
from .views import authoring

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
    path("<int:course_id>/units/<uuid:content_id>/", views.unit, name="unit"),
    path("<int:course_id>/media/<str:content_id>/<slug:slot>", views.media, name="media"),
    # The course page is the learners' entry; its view comes with the learning pages.
    path("<int:course_id>/", views.course, name="course"),
]
