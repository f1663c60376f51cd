"""Organisations in the unified search: schools, colleges, universities and employers."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhijiao.core.platforms import Platform
from zhijiao.search.registry import PUBLIC, Document, DocumentType, FilterField

from .models import Organization, Region
from .selectors import region_names

# Which platform an organisation of each kind belongs to; agencies are not searched.
KIND_PLATFORMS = {
    Organization.Kind.SCHOOL: Platform.K12,
    Organization.Kind.VOCATIONAL: Platform.VOCATIONAL,
    Organization.Kind.UNIVERSITY: Platform.HIGHER,
    Organization.Kind.EMPLOYER: Platform.EMPLOYMENT,
}


def region_codes(region: Region) -> list[str]:
    """A region's code and those of the regions containing it (district, city, province)."""
    codes = []
    node: Region | None = region
    while node is not None:
        codes.append(node.code)
        node = node.parent
    return codes


class OrganizationDocuments(DocumentType):
    """Active schools, colleges, universities and employers; the region filter matches any containing region."""

    kind = "orgs.organization"
    model = Organization
    label = _("机构")
    filters = (
        FilterField("region", _("地区"), region_names),
        FilterField("org_kind", _("机构类型"), lambda values: dict(Organization.Kind.choices)),
    )

    def queryset(self) -> QuerySet[Organization]:
        return Organization.objects.filter(kind__in=list(KIND_PLATFORMS)).select_related(
            "region", "region__parent", "region__parent__parent"
        )

    def to_document(self, organization: Organization) -> Document | None:
        platform = KIND_PLATFORMS.get(Organization.Kind(organization.kind))
        if platform is None or not organization.is_active:
            return None
        places = []
        region: Region | None = organization.region
        while region is not None:
            places.append(region.name)
            region = region.parent
        body = " ".join(
            part for part in (organization.short_name, " ".join(reversed(places)), organization.description) if part
        )
        return Document(
            kind=self.kind,
            object_id=str(organization.pk),
            title=organization.name,
            body=body,
            platform=platform,
            type_label=str(Organization.Kind(organization.kind).label),
            url=organization.website or f"/api/v1/orgs/organizations/{organization.pk}",
            filters={"region": region_codes(organization.region), "org_kind": organization.kind},
            date=organization.created_at,
            popularity=1.0 if organization.is_verified else 0.0,
            visibility=PUBLIC,
        )
