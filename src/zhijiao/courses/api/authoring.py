"""Authoring operations beyond the draft tree: the course's cover picture."""

from typing import Any

from ninja import File, Router
from ninja.files import UploadedFile

from zhijiao.core.actors import MemberRequest
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.params import Id

from .. import selectors, services
from ..schemas import CourseOut

# Imported from the package at its end, where these are defined.
from . import ERRORS, course_out

router = Router(tags=["courses"], auth=session_or_token)


@router.post("/{course_id}/cover", response={200: CourseOut, **ERRORS}, operation_id="courses_cover_upload")
def cover_upload(request: MemberRequest, course_id: Id, file: File[UploadedFile]) -> Any:
    """Upload the course's cover picture (PNG, JPEG or WebP up to 5 MB, checked by its content)."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    course = services.course_update(actor=request.user, course=course, cover=file)
    return course_out(course, request.user)


@router.delete("/{course_id}/cover", response={200: CourseOut, **ERRORS}, operation_id="courses_cover_remove")
def cover_remove(request: MemberRequest, course_id: Id) -> Any:
    course = selectors.access_course(actor=request.user, course_id=course_id)
    course = services.course_update(actor=request.user, course=course, remove_cover=True)
    return course_out(course, request.user)
