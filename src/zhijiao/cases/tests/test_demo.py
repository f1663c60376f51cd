"""The demo library: enough cases in enough categories, every type, made through the intake service."""

import random
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhijiao.accounts.tests.factories import make_user
from zhijiao.cases import selectors
from zhijiao.cases.models import Case, CaseType, LibraryMember
from zhijiao.demo.cases import seed_case_views, seed_cases
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.tests.factories import add_member, make_organization


@pytest.mark.django_db
def test_the_demo_library_has_300_cases_in_15_categories_of_every_type(settings: Any) -> None:
    settings.CONTENT_CACHE_SECONDS = 0
    for name in ("北京师范大学", "清华大学", "深圳大学"):
        university = make_organization(Organization.Kind.UNIVERSITY, name)
        add_member(make_user(display_name=f"{name}教师"), university, Role.UNIVERSITY_FACULTY)
    counts = seed_cases(rng=random.Random(1))
    seed_case_views(rng=random.Random(2), end=timezone.localdate() - timedelta(days=1))
    assert counts["cases"] >= 300
    assert Case.objects.values("category").distinct().count() >= 15
    assert set(Case.objects.values_list("case_type", flat=True)) == set(CaseType.values)
    assert not Case.objects.filter(case_type=CaseType.TEXT, teaching_note="").exists()
    assert not Case.objects.filter(case_type__in=[CaseType.VIDEO, CaseType.SHORT_VIDEO], video="").exists()
    assert set(LibraryMember.objects.values_list("organization__name", flat=True)) == {"北京师范大学", "清华大学"}
    hot = selectors.hot_cases()
    assert len(hot) == 10 and hot[0].downloads + hot[0].adoptions > 0
    usage = selectors.case_usage(case=hot[0].case)
    assert sum(usage.views) > 0 and sum(usage.downloads) > 0
    assert len({case.accession_no for case in Case.objects.all()}) == counts["cases"]
