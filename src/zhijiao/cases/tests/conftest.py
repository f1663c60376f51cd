from typing import Any

import pytest

from zhijiao.accounts.tests.factories import make_user
from zhijiao.cases import services
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization

from .factories import make_case


@pytest.fixture
def library(db: None, settings: Any) -> dict[str, Any]:
    """A member university and a non-member one, a teacher and a student of each, a case of each type."""
    settings.CONTENT_CACHE_SECONDS = 0
    member = make_organization(Organization.Kind.UNIVERSITY, "北京师范大学")
    outsider = make_organization(Organization.Kind.UNIVERSITY, "深圳大学")
    services.library_member_add(organization=member)
    people: dict[str, Any] = {"member": member, "outsider": outsider}
    for key, org, role in (
        ("teacher", member, Role.UNIVERSITY_FACULTY),
        ("student", member, Role.STUDENT),
        ("outside_teacher", outsider, Role.UNIVERSITY_FACULTY),
        ("outside_student", outsider, Role.STUDENT),
    ):
        user = make_user(
            display_name={"teacher": "杨帆", "student": "张小北", "outside_teacher": "刘深", "outside_student": "陈南"}[
                key
            ]
        )
        add_member(user, org, role)
        people[key] = user
    people["text"] = make_case(organization=member)
    people["micro"] = make_case(
        organization=member,
        case_type="micro",
        body="小微案例正文：一次客户投诉的处理。",
        category="0251",
        field="商业银行",
    )
    people["video"] = make_case(organization=member, case_type="video", category="0854", field="人工智能")
    return people
