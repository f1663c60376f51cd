"""What the orgs API answers."""

from ninja import Field, Schema


class RegionOut(Schema):
    code: str = Field(..., examples=["110108"])
    name: str
    level: int = Field(..., description="1 省级，2 地级，3 县级")
    parent_code: str | None


class RegionDetailOut(RegionOut):
    path: list[RegionOut] = Field(..., description="从省级到本级的路径")
    children: list[RegionOut]


class OrganizationOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    short_name: str
    region_code: str
    region_name: str
    is_verified: bool


class OrganizationDetailOut(OrganizationOut):
    uscc: str | None
    stage: str
    website: str
    description: str
    region_path: list[RegionOut]
