"""Reads about regions, organisations and who holds which role."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.core.params import parse_ids
from zhijiao.core.prepared import Prepared

from .models import Membership, Organization, Region, Role


def region_children(*, parent_code: str | None = None) -> QuerySet[Region]:
    """The divisions directly under ``parent_code``; the provinces when it is empty."""
    if not parent_code:
        return Region.objects.filter(parent__isnull=True)
    return Region.objects.filter(parent_id=parent_code)


def region_get(*, code: str) -> Region:
    region = Region.objects.select_related("parent__parent").filter(code=code).first()
    if region is None:
        raise NotFound
    return region


# GB/T 2260 names these levels without being places people name: the districts of a municipality sit under
# "市辖区" (110100), its counties under "县" (110200), and county-level cities straight under a province under
# "省直辖县级行政区划" (419000). Nobody writes them in an address.
PLACEHOLDER_REGION_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


def region_display_name(region: Region) -> str:
    """A region's name as people write it: province, city and district joined, placeholders left out.

    110108 reads "北京市海淀区" (never "市辖区 海淀区"), 440305 "广东省深圳市南山区", 110100 "北京市". Regions have no
    English names, so English pages show the same. Load the region with ``select_related("parent__parent")`` (or
    prefetch ``region__parent__parent``) and this costs no query.
    """
    return place_name(*(node.name for node in region_ancestors(region=region)))


def place_name(*names: str | None) -> str:
    """Region names from the province down, joined as people write them: placeholders (市辖区, 县) left out, and a
    level named like the one above it said once (some data sets name a municipality's city level "北京市" too)."""
    parts: list[str] = []
    for name in names:
        if name and name not in PLACEHOLDER_REGION_NAMES and (not parts or parts[-1] != name):
            parts.append(name)
    return "".join(parts)


def region_names(codes: Iterable[str]) -> dict[str, str]:
    """The display names of regions by their codes (codes nobody knows are left out), in one query."""
    regions = Region.objects.filter(code__in=list(codes)).select_related("parent__parent")
    return {region.code: region_display_name(region) for region in regions}


def region_ancestors(*, region: Region) -> list[Region]:
    """The path from the province down to ``region`` itself (at most three levels)."""
    path = [region]
    node = region
    while node.parent_id is not None:
        node = node.parent  # type: ignore[assignment]
        path.append(node)
    return list(reversed(path))


def region_code_prefix(region: Region) -> str:
    """GB/T 2260 codes nest by digits: 11 (Beijing) ⊃ 1101 (city) ⊃ 110108 (Haidian)."""
    if region.level == Region.Level.PROVINCE:
        return region.code[:2]
    if region.level == Region.Level.CITY:
        return region.code[:4]
    return region.code


def organization_list(
    *, kind: str | None = None, region_code: str | None = None, q: str | None = None
) -> QuerySet[Organization]:
    """Active organisations, optionally of one kind, within a region (and everything under it), by name."""
    qs = Organization.objects.filter(is_active=True).select_related("region")
    if kind:
        qs = qs.filter(kind=kind)
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            return qs.none()
        qs = qs.filter(region__code__startswith=region_code_prefix(region))
    if q:
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(short_name__icontains=q.strip()))
    return qs.order_by("kind", "name", "id")


def organization_get(*, organization_id: int) -> Organization:
    organization = (
        Organization.objects.select_related("region__parent__parent").filter(pk=organization_id, is_active=True).first()
    )
    if organization is None:
        raise NotFound
    return organization


def memberships_of(user: Actor | None) -> QuerySet[Membership]:
    """A person's active memberships with their organisations, for profile pages.

    A visitor and a deactivated account hold none, as Django's own permissions have none for them.
    """
    if not signed_in(user):
        return Membership.objects.none()
    return _memberships(user.pk)


def _memberships(user_id: int) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user_id=user_id, is_active=True, organization__is_active=True)
        .select_related("organization", "organization__region")
        .order_by("organization__name", "role")
    )


# Read on every signed-in page (the desk bar, role checks): the SQL is built once (core.prepared).
_HELD = Prepared(_memberships)


# Bumped whenever a membership or an organisation is saved or deleted in this process (see OrgsConfig.ready), so a
# person's memberships read earlier on the same user object are read again: a service that grants a role and then
# checks it, or a test that adds a member after a page was drawn, sees the change.
_generation = [0]


def memberships_changed(**_kwargs: object) -> None:
    """Signal receiver: forget every person's memberships read so far in this process."""
    _generation[0] += 1


def held_memberships(user: Actor | None) -> tuple[Membership, ...]:
    """A person's active memberships with their organisations, read once per user object.

    A request's ``user`` lives for that request, so every role check of a page (the view's access check, the
    navigation, the templates) shares one query instead of one ``EXISTS`` each. ``has_role``, ``roles_of``,
    ``is_platform_admin`` and the apps' role questions answer from it.
    """
    if not signed_in(user):
        return ()
    cached = user.__dict__.get("_held_memberships")
    if cached is not None and cached[0] == _generation[0]:
        return cached[1]
    generation = _generation[0]
    held = tuple(_HELD.list(user.pk))
    user.__dict__["_held_memberships"] = (generation, held)
    return held


def roles_of(user: Actor | None) -> set[str]:
    """Every role a person holds in any organisation."""
    return {membership.role for membership in held_memberships(user)}


def has_role(user: Actor | None, role: str, *, organization: Organization | None = None) -> bool:
    """Whether a person holds ``role`` (in ``organization``, when given)."""
    return any(
        membership.role == role and (organization is None or membership.organization_id == organization.pk)
        for membership in held_memberships(user)
    )


def organizations_with_role(user: Actor | None, role: str, kind: str | None = None) -> list[Organization]:
    """The organisations (of ``kind``, when given) where a person holds ``role``, by name; none for a visitor."""
    return [
        membership.organization
        for membership in held_memberships(user)
        if membership.role == role and (kind is None or membership.organization.kind == kind)
    ]


def is_platform_admin(user: Actor | None) -> bool:
    """A superuser or a holder of the platform-admin role, while their account is active."""
    return signed_in(user) and (user.is_superuser or has_role(user, Role.PLATFORM_ADMIN))


def organizations_where(user: Actor | None, role: str) -> QuerySet[Organization]:
    """The organisations in which a person holds ``role``."""
    if not signed_in(user):
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user=user, memberships__role=role, memberships__is_active=True, is_active=True
    ).distinct()


# --- Choosing a region or an organisation by name (the choosers of core/choosers.py) ---------------------------

# Placeholder divisions (北京市 → 市辖区 → 海淀区): nobody means them by name, and a full name leaves them out.
REGION_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
# What people leave off a division's name: 北京(市), 海淀(区), 内蒙古(自治区), 广西(壮族自治区). Longest first.
REGION_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "新区",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
)
# The one-character abbreviations of provincial-level divisions (京, 沪, 粤 …), by the code's first two digits.
PROVINCE_ABBREVIATIONS = {
    "京": "11", "津": "12", "冀": "13", "晋": "14", "蒙": "15", "辽": "21", "吉": "22", "黑": "23", "沪": "31",
    "苏": "32", "浙": "33", "皖": "34", "闽": "35", "赣": "36", "鲁": "37", "豫": "41", "鄂": "42", "湘": "43",
    "粤": "44", "桂": "45", "琼": "46", "渝": "50", "川": "51", "蜀": "51", "贵": "52", "黔": "52", "云": "53",
    "滇": "53", "藏": "54", "陕": "61", "秦": "61", "甘": "62", "陇": "62", "青": "63", "宁": "64", "新": "65",
    "台": "71", "港": "81", "澳": "82",
}  # fmt: skip


def region_short_name(name: str) -> str:
    """The name as people say it: 北京市 → 北京, 海淀区 → 海淀, 宁夏回族自治区 → 宁夏 (never shorter than two)."""
    for suffix in REGION_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def region_full_name(region: Region) -> str:
    """A region as people write it, from the province down: 北京市海淀区, 广东省深圳市南山区."""
    names: list[str] = []
    for node in region_ancestors(region=region):
        # a municipality's city level is a placeholder, or repeats its name (北京市 → 北京市): leave it out
        if node.name not in REGION_PLACEHOLDERS and (not names or names[-1] != node.name):
            names.append(node.name)
    return "".join(names)


def _region_named(region: Region, term: str) -> bool:
    """Whether ``term`` names ``region`` (its name, short name, code or province abbreviation), or begins its name."""
    return (
        region.name.startswith(term)
        or region.code == term
        or (region.level == Region.Level.PROVINCE and PROVINCE_ABBREVIATIONS.get(term) == region.code[:2])
    )


def _region_exactly(region: Region, term: str) -> bool:
    return term in (region.name, region_short_name(region.name), region.code) or (
        region.level == Region.Level.PROVINCE and PROVINCE_ABBREVIATIONS.get(term) == region.code[:2]
    )


def _place_words(term: str, depth: int = 0) -> list[str]:
    """A place typed without spaces split into the names it is made of: 北京海淀 → 北京 海淀, 北京市海淀区 →
    北京市 海淀区, 广东深圳南山 → 广东 深圳 南山. A term that begins a region's name stays whole (北京, 海淀区);
    otherwise the longest province or city name (or short name) it starts with is split off, and the rest again."""
    if depth > 2 or len(term) < 3 or term.isdigit():
        return [term]
    regions = Region.objects.exclude(name__in=REGION_PLACEHOLDERS)
    if regions.filter(name__startswith=term).exists():
        return [term]
    above = regions.filter(level__in=(Region.Level.PROVINCE, Region.Level.CITY), name__startswith=term[:2])
    names = {name for region in above for name in (region.name, region_short_name(region.name))}
    head = max((name for name in names if term.startswith(name) and len(name) < len(term)), key=len, default="")
    if not head:
        return [term]
    return [head, *_place_words(term[len(head) :], depth + 1)]


def region_search(*, text: str, limit: int = 12) -> list[tuple[Region, bool]]:
    """Regions at any level matching what a person typed, each with whether the text names it exactly.

    Names, short names (北京, 海淀), codes and province abbreviations (京, 粤); words before the last narrow by
    the regions above (深圳 南山, 北京 朝阳), and so do names typed together (北京海淀, 北京市海淀区). One query for
    the regions (names are short, and there are some 3,200 divisions), and two for each word written together.
    """
    terms = [word for term in text.split() for word in _place_words(term)]
    if not terms:
        return []
    last, above = terms[-1], terms[:-1]
    match = Q(name__startswith=last)
    if last.isdigit():
        match |= Q(code__startswith=last)
    if last in PROVINCE_ABBREVIATIONS:
        match |= Q(code=PROVINCE_ABBREVIATIONS[last] + "0000")
    qs = Region.objects.select_related("parent__parent").exclude(name__in=REGION_PLACEHOLDERS)
    rows = list(qs.filter(match).order_by("level", "code")[: limit * 8])
    if not rows and len(last) >= 2 and not last.isdigit():
        rows = list(qs.filter(name__contains=last).order_by("level", "code")[: limit * 8])
    found = []
    for region in rows:
        path = region_ancestors(region=region)[:-1]
        if path and path[-1].name == region.name:
            continue  # the city level of a municipality that repeats its name: the province is the one meant
        if all(any(_region_named(node, term) for node in path) for term in above):
            found.append((region, _region_exactly(region, last)))
    found.sort(key=lambda item: (not item[1], item[0].level, item[0].code))
    return found[:limit]


def regions_by_code(*, codes: Iterable[str]) -> list[Region]:
    """The regions with these codes, in the order asked (unknown codes are left out)."""
    found = Region.objects.select_related("parent__parent").in_bulk([code for code in codes if code.isdigit()])
    return [found[code] for code in codes if code in found]


def organization_search(*, kind: str, text: str, limit: int = 12) -> list[tuple[Organization, bool]]:
    """Active organisations of one kind whose name or short name contains ``text``, exact names first."""
    text = text.strip()
    if not text:
        return []
    rows = list(
        Organization.objects.filter(kind=kind, is_active=True)
        .filter(Q(name__contains=text) | Q(short_name=text))
        .select_related("region__parent__parent")
        .order_by("name", "id")[: limit * 4]
    )
    found = [(org, text in (org.name, org.short_name)) for org in rows]
    found.sort(key=lambda item: (not item[1], not item[0].name.startswith(text), len(item[0].name)))
    return found[:limit]


def organizations_by_id(*, kind: str, ids: Iterable[str]) -> list[Organization]:
    """The active organisations of one kind with these ids, in the order asked (others are left out)."""
    wanted = parse_ids(ids, limit=1000)
    found = Organization.objects.filter(kind=kind, is_active=True).select_related("region__parent__parent")
    by_id = found.in_bulk(wanted)
    return [by_id[pk] for pk in wanted if pk in by_id]
