"""Reading partner feeds (CSV, Excel, JSON in the schema.org JobPosting shape) into checked rows.

Every format becomes the same flat row (``FIELDS``); :func:`validate_row` turns one into a :class:`RowData` or a
list of reasons, without touching the database except through the lookups it is given. The service
``services.jobs_import`` writes the good rows and reports the bad ones with their line numbers.

CSV and Excel have one header row with these column names (Chinese headers are accepted too, see ``HEADERS``):
``external_id, title, description, employer_name, employer_credit_code, region_codes, industry, occupation,
education, majors, salary_min, salary_max, headcount, employment_type, date_posted, valid_through``.
Lists (``region_codes``, ``majors``) are separated by ``;``, ``,``, ``、`` or spaces.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.core.identifiers import normalize_uscc
from zhijiao.core.tables import RowError, TableError, cell_text, read_table, take

from .models import Discipline, Education, EmploymentType, Industry, Occupation

FIELDS = (
    "external_id",
    "title",
    "description",
    "employer_name",
    "employer_credit_code",
    "region_codes",
    "industry",
    "occupation",
    "education",
    "majors",
    "salary_min",
    "salary_max",
    "headcount",
    "employment_type",
    "date_posted",
    "valid_through",
)
HEADERS = {
    "编号": "external_id",
    "岗位名称": "title",
    "岗位描述": "description",
    "单位名称": "employer_name",
    "统一社会信用代码": "employer_credit_code",
    "工作地点代码": "region_codes",
    "行业": "industry",
    "职能类别": "occupation",
    "学历要求": "education",
    "专业门类": "majors",
    "月薪下限": "salary_min",
    "月薪上限": "salary_max",
    "招聘人数": "headcount",
    "工作性质": "employment_type",
    "发布日期": "date_posted",
    "截止日期": "valid_through",
}
MAX_ROWS = 200_000
# Field names in row messages (lazy: only a refused row formats them).
L_INDUSTRY = gettext_lazy("行业")
L_OCCUPATION = gettext_lazy("职能类别")
L_EDUCATION = gettext_lazy("学历要求")
L_MAJOR = gettext_lazy("专业门类")
L_SALARY_MIN = gettext_lazy("月薪下限")
L_SALARY_MAX = gettext_lazy("月薪上限")
L_HEADCOUNT = gettext_lazy("招聘人数")
L_TYPE = gettext_lazy("工作性质")
L_POSTED = gettext_lazy("发布日期")
L_VALID = gettext_lazy("截止日期")
SPLIT = re.compile(r"[;,，；、\s]+")


# The file as a whole cannot be read (not CSV/Excel/JSON, no header, too many rows).
FeedError = TableError


@dataclass
class RowData:
    line: int
    external_id: str
    title: str
    description: str
    employer_name: str
    credit_code: str
    region_codes: list[str]
    industry: str
    occupation: str
    education: int
    disciplines: list[str]
    salary_min: int
    salary_max: int
    headcount: int
    employment_type: str
    date_posted: date
    valid_through: date
    employer_id: int | None = None
    key: str = ""


# --- Formats -------------------------------------------------------------------------------------------------


def from_jobposting(item: dict[str, Any]) -> dict[str, Any]:
    """A schema.org JobPosting object as a flat row."""
    organization = item.get("hiringOrganization") or {}
    if isinstance(organization, str):
        organization = {"name": organization}
    identifier = item.get("identifier") or ""
    if isinstance(identifier, dict):
        identifier = identifier.get("value", "")
    locations = item.get("jobLocation") or []
    if isinstance(locations, dict):
        locations = [locations]
    codes = []
    for location in locations:
        address = (location or {}).get("address") or {}
        code = address.get("addressRegion") or address.get("postalCode") or (location or {}).get("identifier") or ""
        codes.append(str(code))
    salary = (item.get("baseSalary") or {}).get("value") or {}
    education = item.get("educationRequirements") or ""
    if isinstance(education, dict):
        education = education.get("credentialCategory", "")
    org_identifier = organization.get("identifier") or ""
    if isinstance(org_identifier, dict):
        org_identifier = org_identifier.get("value", "")
    return {
        "external_id": identifier,
        "title": item.get("title", ""),
        "description": item.get("description", ""),
        "employer_name": organization.get("name", ""),
        "employer_credit_code": org_identifier,
        "region_codes": ";".join(codes),
        "industry": item.get("industry", ""),
        "occupation": item.get("occupationalCategory", ""),
        "education": education,
        "majors": item.get("majors") or item.get("relevantOccupation") or "",
        "salary_min": salary.get("minValue", ""),
        "salary_max": salary.get("maxValue", ""),
        "headcount": item.get("totalJobOpenings", 1),
        "employment_type": item.get("employmentType", ""),
        "date_posted": item.get("datePosted", ""),
        "valid_through": item.get("validThrough", ""),
    }


def parse_json(data: bytes) -> Iterator[tuple[int, dict[str, Any]]]:
    """A list of JobPosting objects (or ``{"@graph": [...]}``); the "line" of each is its position from 1."""
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(_("不是有效的 JSON")) from exc
    if isinstance(payload, dict):
        payload = payload.get("@graph") or payload.get("jobs") or [payload]
    if not isinstance(payload, list):
        raise FeedError(_("JSON 应为 JobPosting 对象的数组"))
    for index, item in enumerate(payload, start=1):
        if not isinstance(item, dict):
            yield index, {"__invalid__": True}
            continue
        yield index, from_jobposting(item)


def parse_feed(data: bytes, *, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """The rows of an uploaded feed, by its extension (.csv, .xlsx, .json)."""
    if filename.lower().endswith(".json"):
        return take(parse_json(data), limit=MAX_ROWS)
    try:
        rows = read_table(data, filename=filename, headers=HEADERS)
    except TableError as exc:
        raise FeedError(_("只支持 CSV、Excel（.xlsx）或 JSON 文件")) from exc
    return take(rows, limit=MAX_ROWS)


# --- One row -------------------------------------------------------------------------------------------------


def _int(value: Any, name: Any, errors: list[str], *, minimum: int = 0) -> int:
    text = cell_text(value).replace(",", "")
    try:
        number = int(float(text)) if text else None
    except ValueError:
        number = None
    if number is None or number < minimum:
        errors.append(_("%(field)s不是有效的数字") % {"field": name})
        return 0
    return number


def _date(value: Any, name: Any, errors: list[str]) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)[:10].replace("/", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(_("%(field)s不是有效的日期（YYYY-MM-DD）") % {"field": name})
        return None


def _choice(value: Any, choices: Any, name: Any, errors: list[str], *, aliases: dict[str, str] | None = None) -> str:
    text = cell_text(value)
    by_label = {str(label): key for key, label in choices}
    for candidate in (text, text.upper(), (aliases or {}).get(text.lower(), "")):
        if candidate in dict(choices):
            return str(candidate)
    if text in by_label:
        return str(by_label[text])
    errors.append(_("%(field)s的取值无效：%(value)s") % {"field": name, "value": text[:30] or "—"})
    return ""


EDUCATION_ALIASES = {
    "": "0",
    "不限": "0",
    "associate degree": "2",
    "专科": "2",
    "bachelor degree": "3",
    "postgraduate degree": "4",
    "研究生": "4",
    "硕士": "4",
    "博士": "5",
}


def validate_row(line: int, raw: dict[str, Any], *, today: date, regions: set[str]) -> RowData | RowError:
    """One feed row checked on its own: required fields, numbers, dates, choices, codes."""
    if raw.get("__invalid__"):
        return RowError(line, [_("不是 JobPosting 对象")])
    errors: list[str] = []
    title = cell_text(raw.get("title"))[:100]
    if not title:
        errors.append(_("缺少岗位名称"))
    employer_name = cell_text(raw.get("employer_name"))[:100]
    credit_code = ""
    try:
        credit_code = normalize_uscc(cell_text(raw.get("employer_credit_code")))
    except ValidationError as exc:
        errors.append(_("统一社会信用代码有误：%(reason)s") % {"reason": _("；").join(exc.messages)})
    codes = [code for code in SPLIT.split(cell_text(raw.get("region_codes"))) if code]
    if not codes:
        errors.append(_("缺少工作地点代码"))
    unknown = [code for code in codes if code not in regions]
    if unknown:
        errors.append(_("未知的地区代码：%(codes)s") % {"codes": _("、").join(unknown[:5])})
    industry = _choice(raw.get("industry"), Industry.choices, L_INDUSTRY, errors)
    occupation_text = cell_text(raw.get("occupation"))
    occupation = (
        _choice(occupation_text, Occupation.choices, L_OCCUPATION, errors) if occupation_text else Occupation.OTHER
    )
    education_choices = [(str(value), label) for value, label in Education.choices]
    education = _choice(raw.get("education"), education_choices, L_EDUCATION, errors, aliases=EDUCATION_ALIASES)
    disciplines = []
    for item in SPLIT.split(cell_text(raw.get("majors"))):
        if not item:
            continue
        found = _choice(item, Discipline.choices, L_MAJOR, errors)
        if found:
            disciplines.append(found)
    salary_min = _int(raw.get("salary_min"), L_SALARY_MIN, errors)
    salary_max = _int(raw.get("salary_max"), L_SALARY_MAX, errors)
    if salary_min and salary_max and salary_min > salary_max:
        errors.append(_("月薪下限高于上限"))
    headcount_text = cell_text(raw.get("headcount"))
    headcount = _int(headcount_text, L_HEADCOUNT, errors, minimum=1) if headcount_text else 1
    type_text = cell_text(raw.get("employment_type"))
    employment_type = (
        _choice(type_text, EmploymentType.choices, L_TYPE, errors) if type_text else EmploymentType.FULL_TIME
    )
    posted_text = raw.get("date_posted")
    date_posted = _date(posted_text, L_POSTED, errors) if cell_text(posted_text) else today
    valid_through = _date(raw.get("valid_through"), L_VALID, errors)
    if valid_through and valid_through < today:
        errors.append(_("截止日期已过"))
    if date_posted and valid_through and date_posted > valid_through:
        errors.append(_("发布日期晚于截止日期"))
    if date_posted and date_posted > today:
        errors.append(_("发布日期不能晚于今天"))
    if errors:
        return RowError(line, errors)
    assert date_posted is not None and valid_through is not None
    return RowData(
        line=line,
        external_id=cell_text(raw.get("external_id"))[:100],
        title=title,
        description=cell_text(raw.get("description")) or title,
        employer_name=employer_name,
        credit_code=credit_code,
        region_codes=list(dict.fromkeys(codes)),
        industry=industry,
        occupation=occupation,
        education=int(education),
        disciplines=list(dict.fromkeys(disciplines)),
        salary_min=salary_min,
        salary_max=salary_max,
        headcount=headcount,
        employment_type=employment_type,
        date_posted=date_posted,
        valid_through=valid_through,
    )


def to_jobposting(row: dict[str, Any]) -> dict[str, Any]:
    """A flat row as a schema.org JobPosting (what the JSON feed and partner pushes use)."""
    return {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "value": row["external_id"]},
        "title": row["title"],
        "description": row["description"],
        "hiringOrganization": {
            "@type": "Organization",
            "name": row["employer_name"],
            "identifier": row["employer_credit_code"],
        },
        "jobLocation": [
            {"@type": "Place", "address": {"@type": "PostalAddress", "addressRegion": code, "addressCountry": "CN"}}
            for code in SPLIT.split(str(row["region_codes"]))
            if code
        ],
        "industry": row["industry"],
        "occupationalCategory": row["occupation"],
        "educationRequirements": row["education"],
        "majors": row["majors"],
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "CNY",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": row["salary_min"],
                "maxValue": row["salary_max"],
                "unitText": "MONTH",
            },
        },
        "totalJobOpenings": row["headcount"],
        "employmentType": row["employment_type"],
        "datePosted": str(row["date_posted"]),
        "validThrough": str(row["valid_through"]),
    }


# --- Graduate lists (生源名单) ----------------------------------------------------------------------------------

ROSTER_FIELDS = ("student_number", "real_name", "graduation_year", "major", "discipline", "education")
ROSTER_HEADERS = {
    "学号": "student_number",
    "姓名": "real_name",
    "毕业年份": "graduation_year",
    "届别": "graduation_year",
    "专业": "major",
    "学科门类": "discipline",
    "学历": "education",
}
MAX_ROSTER_ROWS = 50_000
L_STUDENT_NUMBER = gettext_lazy("学号")
L_NAME = gettext_lazy("姓名")
L_YEAR = gettext_lazy("毕业年份")
L_MAJOR_NAME = gettext_lazy("专业")
L_DISCIPLINE = gettext_lazy("学科门类")
L_DEGREE = gettext_lazy("学历")
STUDENT_NUMBER = re.compile(r"^[0-9A-Za-z-]{1,30}$")


@dataclass
class RosterRow:
    line: int
    student_number: str
    real_name: str
    graduation_year: int
    major: str
    discipline: str
    education: int


def parse_roster(data: bytes, *, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """The rows of an uploaded graduate list (.csv or .xlsx; Chinese or English column names)."""
    out = take(read_table(data, filename=filename, headers=ROSTER_HEADERS), limit=MAX_ROSTER_ROWS)
    if out and not {"student_number", "real_name"} <= set(out[0][1]):
        raise FeedError(_("表头须包含“学号”和“姓名”列，参见模板"))
    return out


def validate_roster_row(line: int, raw: dict[str, Any], *, this_year: int) -> RosterRow | RowError:
    errors: list[str] = []
    number = cell_text(raw.get("student_number"))
    if not STUDENT_NUMBER.match(number):
        errors.append(_("%(field)s应为 1–30 位字母或数字") % {"field": L_STUDENT_NUMBER})
    real_name = cell_text(raw.get("real_name"))
    if not 2 <= len(real_name) <= 30:
        errors.append(_("%(field)s应为 2–30 个字") % {"field": L_NAME})
    year = _int(raw.get("graduation_year"), L_YEAR, errors)
    if year and not this_year - 10 <= year <= this_year + 5:
        errors.append(_("%(field)s超出范围：%(value)s") % {"field": L_YEAR, "value": year})
    major = cell_text(raw.get("major"))
    if not 1 <= len(major) <= 60:
        errors.append(_("%(field)s不能为空且不超过 60 个字") % {"field": L_MAJOR_NAME})
    discipline = _choice(raw.get("discipline"), Discipline.choices, L_DISCIPLINE, errors)
    degrees = [(str(value), label) for value, label in Education.choices if value != Education.ANY]
    education = _choice(
        raw.get("education") or str(Education.BACHELOR.value), degrees, L_DEGREE, errors, aliases=EDUCATION_ALIASES
    )
    if errors:
        return RowError(line=line, messages=errors)
    return RosterRow(line, number, real_name, year, major, discipline, int(education))
