"""The choosers of regions and organisations (core/choosers.py): registered from ``OrgsConfig.ready()``.

Regions and the names of universities are public (the job search filters by place for visitors too); the
organisations other apps let people choose from narrower sets register their own sources.
"""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.choosers import Choice, ChooserSource, register_chooser

from . import selectors
from .models import Organization, Region


def region_choice(region: Region, *, exact: bool = False) -> Choice:
    return Choice(
        value=region.code,
        label=selectors.region_full_name(region),
        detail=str(region.get_level_display()),
        exact=exact,
        obj=region,
    )


def _regions_search(actor: Actor, text: str, limit: int) -> list[Choice]:
    return [region_choice(region, exact=exact) for region, exact in selectors.region_search(text=text, limit=limit)]


def _regions_lookup(actor: Actor, values: Sequence[str]) -> list[Choice]:
    return [region_choice(region) for region in selectors.regions_by_code(codes=values)]


def organization_choice(org: Organization, *, exact: bool = False) -> Choice:
    return Choice(
        value=str(org.pk), label=org.name, detail=selectors.region_full_name(org.region), exact=exact, obj=org
    )


def _organizations(kind: str) -> tuple:
    def search(actor: Actor, text: str, limit: int) -> list[Choice]:
        return [
            organization_choice(org, exact=exact)
            for org, exact in selectors.organization_search(kind=kind, text=text, limit=limit)
        ]

    def lookup(actor: Actor, values: Sequence[str]) -> list[Choice]:
        return [organization_choice(org) for org in selectors.organizations_by_id(kind=kind, ids=values)]

    return search, lookup


def register() -> None:
    register_chooser(
        ChooserSource(
            name="regions",
            allowed=lambda actor: True,
            search=_regions_search,
            lookup=_regions_lookup,
            value_pattern=r"\d{6}",
            placeholder=_("输入地名，如 北京、海淀、深圳 南山"),
        )
    )
    search, lookup = _organizations(Organization.Kind.UNIVERSITY)
    register_chooser(
        ChooserSource(
            name="universities",
            allowed=signed_in,
            search=search,
            lookup=lookup,
            placeholder=_("输入高校名称，如 清华大学"),
        )
    )
