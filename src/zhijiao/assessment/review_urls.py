from django.urls import path

from . import review_views

app_name = "assessment_review"
urlpatterns = [
    # Under a run (/courses/<id>/runs/<run>/): the teaching team's grading queue [auth] …
    path("marking/", review_views.queue, name="queue"),
    path("marking/<id:item_id>/", review_views.grade, name="grade"),
    # … and the learner's peer review (互评) [auth]
    path("peer/", review_views.peer, name="peer"),
    path("peer/<uuid:content_id>/next", review_views.peer_next, name="peer_next"),
    path("peer/reviews/<id:review_id>/", review_views.review, name="review"),
]
