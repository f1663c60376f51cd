"""Test data for organisations. Codes carry valid check characters."""

import itertools
from typing import Any

from zhijiao.core.identifiers import uscc_check_character
from zhijiao.orgs.models import Membership, Organization, Region, Role

_seq = itertools.count(1)


def make_region(code: str = "110108", name: str = "海淀区") -> Region:
    province, _ = Region.objects.get_or_create(
        code=code[:2] + "0000", defaults={"name": "北京市", "level": Region.Level.PROVINCE}
    )
    if code == province.code:
        return province
    city, _ = Region.objects.get_or_create(
        code=code[:4] + "00", defaults={"name": "市辖区", "level": Region.Level.CITY, "parent": province}
    )
    if code == city.code:
        return city
    county, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": Region.Level.COUNTY, "parent": city}
    )
    return county


def make_uscc() -> str:
    body = f"91110108MA{next(_seq):07d}"
    return body + uscc_check_character(body)


def make_organization(kind: str = Organization.Kind.SCHOOL, name: str | None = None, **fields: Any) -> Organization:
    region = fields.pop("region", None) or make_region()
    defaults: dict[str, Any] = {}
    if kind == Organization.Kind.SCHOOL:
        defaults["stage"] = Organization.Stage.PRIMARY
    if kind == Organization.Kind.EMPLOYER:
        defaults["uscc"] = make_uscc()
    defaults.update(fields)
    return Organization.objects.create(
        kind=kind, name=name or f"测试{Organization.Kind(kind).label}{next(_seq)}", region=region, **defaults
    )


def add_member(user: Any, organization: Organization, role: str) -> Membership:
    return Membership.objects.create(user=user, organization=organization, role=Role(role))
