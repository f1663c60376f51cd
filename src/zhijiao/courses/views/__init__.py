"""The course engine's pages: block media streamed with byte ranges, and a unit as learners see it."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from zhijiao.analytics.services import mark_viewed
from zhijiao.core.files import serve_file

from .. import selectors
from ..blocks import render_block

MEDIA_CSP = {"default-src": [CSP.NONE], "frame-ancestors": [CSP.SELF], "style-src": [CSP.UNSAFE_INLINE]}


@require_safe
@xframe_options_sameorigin
@csp_override(MEDIA_CSP)
def media(request: HttpRequest, course_id: int, content_id: str, slot: str) -> HttpResponseBase:
    """A block's file (a video, its poster or subtitles, a PDF, an image), with byte ranges for seeking.

    Published content is read from the published version (so a file stays reachable while that version is
    live, whatever the draft does); ``?draft=1`` shows the teaching team the draft's.
    """
    draft = request.GET.get("draft") == "1"
    asset, public = selectors.access_media(
        actor=request.user, course_id=course_id, content_id=content_id, slot=slot, draft=draft
    )
    return serve_file(
        request,
        asset.file,
        content_type=asset.mime_type or "application/octet-stream",
        filename=asset.name,
        download=request.GET.get("download") == "1",
        public=public,
    )


@require_safe
def unit(request: HttpRequest, course_id: int, content_id: uuid.UUID) -> HttpResponse:
    """One unit of a course with its blocks, as learners see the published version (the team: ``?draft=1``)."""
    draft = request.GET.get("draft") == "1"
    course = selectors.access_course(actor=request.user, course_id=course_id)
    outline = selectors.outline_for(actor=request.user, course=course, draft=draft)
    found = selectors.find_node(outline, str(content_id))
    if found is None or found["kind"] != "unit":
        raise Http404
    if not draft:
        mark_viewed(request, course)  # a view of the course for its platform's hot list (analytics)
    blocks = [
        render_block(block, course_id=course.pk, assets=outline["assets"], draft=draft) for block in found["blocks"]
    ]
    return render(request, "courses/unit.html", {"course": course, "unit": found, "blocks": blocks, "draft": draft})
