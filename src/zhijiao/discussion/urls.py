from django.urls import path

from .views import actions, forum, moderation, prompts

app_name = "discussion"
urlpatterns = [
    path("courses/<id:course_id>/", forum.course_forum, name="course"),
    path("runs/<id:run_id>/", forum.forum, name="forum"),
    path("runs/<id:run_id>/new/", forum.thread_new, name="new"),
    path("threads/<id:thread_id>/", forum.thread, name="thread"),
    path("threads/<id:thread_id>/reply", forum.reply, name="reply"),
    path("threads/<id:thread_id>/pin", actions.pin, name="pin"),
    path("threads/<id:thread_id>/close", actions.close, name="close"),
    path("posts/<id:post_id>/vote", actions.vote, name="vote"),
    path("posts/<id:post_id>/accept", actions.accept, name="accept"),
    path("posts/<id:post_id>/report/", actions.report, name="report"),
    path("posts/<id:post_id>/hide/", actions.hide, name="hide"),
    path("posts/<id:post_id>/unhide/", moderation.unhide, name="unhide"),
    path("runs/<id:run_id>/reports/", moderation.reports, name="reports"),
    path("runs/<id:run_id>/reports/<id:post_id>", moderation.report_handle, name="report_handle"),
    path("blocks/<uuid:content_id>/", prompts.block, name="block"),
]
