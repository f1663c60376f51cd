"""The sections of the portal: what the navigation shows and what each platform offers, in one place."""

import functools
from dataclasses import dataclass

from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhijiao.core.platforms import Platform


@dataclass(frozen=True)
class Section:
    """One entry of the main navigation: its URL namespace, label and a one-line summary."""

    key: str
    label: str | Promise
    url_name: str
    summary: str | Promise
    platform: str = ""


HOME = Section("portal", _("首页"), "portal:home", _("专题、资讯与各平台入口"), Platform.PORTAL)
K12 = Section("k12", _("中小学"), "k12:index", _("教材同步资源、云码讲解、课后服务与家庭教育"), Platform.K12)
VOCATIONAL = Section(
    "vocational", _("职业教育"), "vocational:index", _("专业教学资源库、模块化课程与实习实训"), Platform.VOCATIONAL
)
HIGHER = Section("higher", _("高等教育"), "higher:index", _("慕课全流程学习、热门课程与案例库"), Platform.HIGHER)
EMPLOYMENT = Section(
    "employment", _("就业服务"), "employment:index", _("岗位搜索、简历投递与三方协议网签"), Platform.EMPLOYMENT
)
HALL = Section("hall", _("服务大厅"), "hall:index", _("考试服务、学历学位核验与留学服务"), Platform.HALL)
DATA = Section("analytics", _("数据"), "analytics:index", _("平台规模与内容的公开数据"))

NAV_SECTIONS: tuple[Section, ...] = (HOME, K12, VOCATIONAL, HIGHER, EMPLOYMENT, HALL, DATA)
# The platforms a visitor can enter from the home page (the home page itself excluded).
PLATFORM_SECTIONS: tuple[Section, ...] = (K12, VOCATIONAL, HIGHER, EMPLOYMENT, HALL, DATA)

# The landing page of each platform that content can belong to.
PLATFORM_URL_NAMES: dict[str, str] = {s.platform: s.url_name for s in NAV_SECTIONS if s.platform}


@functools.cache
def _links(prefix: str) -> tuple[tuple[Section, str], ...]:
    return tuple((section, reverse(section.url_name)) for section in NAV_SECTIONS)


def nav_links() -> tuple[tuple[Section, str], ...]:
    """Every navigation section with its URL, reversed once per process (and per script prefix)."""
    return _links(get_script_prefix())
