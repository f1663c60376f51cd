"""The desks a signed-in person works at (my job search, the employment office, 云码, the exam office …): one table,
each entry guarded by the very question its page asks, so the navigation offers exactly the pages a person may use.

Every question reads the person's memberships from ``orgs.selectors.held_memberships``, which loads them once per
request and shares them with the page's own access check: the navigation costs no query on a page that checks a
role anyway, and one on a page that does not.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhijiao.core.actors import Actor, signed_in
from zhijiao.courses import selectors as courses
from zhijiao.employment import selectors as employment
from zhijiao.hall.abroad import selectors as abroad
from zhijiao.hall.exams import selectors as exams
from zhijiao.hall.records import selectors as records
from zhijiao.k12 import selectors as k12
from zhijiao.reviews import selectors as reviews


@dataclass(frozen=True)
class Desk:
    """One page a person works at: its key (templates ask ``"employment.office" in DESK_KEYS``), label and rule."""

    key: str
    label: str | Promise
    url_name: str
    allowed: Callable[[Actor], Any]

    @property
    def url(self) -> str:
        return _url(self.url_name, get_script_prefix())


@functools.cache
def _url(url_name: str, prefix: str) -> str:
    """A desk's address, reversed once per process and script prefix (as the navigation's): the desk bar of every
    signed-in page asks twice per desk."""
    return reverse(url_name)


DESKS: tuple[Desk, ...] = (
    Desk("k12.classes", _("班级学习"), "k12:classes", k12.uses_classes),
    Desk("k12.mine", _("我的资源"), "k12:mine", k12.can_upload_resource),
    Desk("k12.review", _("资源审核"), "k12:review", k12.can_review_resources),
    Desk("k12.codes", _("云码管理"), "k12:batches", k12.can_manage_codes),
    Desk("k12.collections", _("区域精选合集"), "k12:collections", k12.can_manage_collections),
    Desk("k12.district", _("本区使用情况"), "k12:district", k12.can_see_district_usage),
    Desk("employment.graduate", _("我的求职"), "employment:graduate_home", employment.is_job_seeker),
    Desk("employment.employer", _("单位招聘"), "employment:employer_home", employment.may_recruit),
    Desk("employment.office", _("高校就业办"), "employment:office", employment.is_employment_staff),
    Desk("employment.review", _("用人单位审核"), "employment:review_queue", employment.is_employer_reviewer),
    Desk("hall.exams", _("考试服务工作台"), "hall:office", exams.is_hall_officer),
    Desk("hall.abroad", _("留学服务审核"), "abroad:queue", abroad.is_abroad_officer),
    Desk("hall.records", _("学籍学历导入"), "records:records_import", records.may_import_records),
    Desk("reviews.queue", _("专家评审"), "reviews:queue", reviews.is_expert),
    # Open courses (MOOCs) are for everyone who signs in; teachers of every level write courses.
    Desk("courses.mine", _("我的课程"), "courses:mine", signed_in),
    Desk("courses.teach", _("课程建设"), "courses:teach", courses.can_create_course),
)


def desks_of(user: Actor | None) -> list[Desk]:
    """The desks this person may open, in the table's order; none for a visitor."""
    if user is None or not signed_in(user):
        return []
    return [desk for desk in DESKS if desk.allowed(user)]
