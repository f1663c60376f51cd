"""What the accounts API accepts and answers. Personal data leaves masked."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from zhijiao.core.api_parser import InSchema
from zhijiao.core.identifiers import ID_NUMBER_PATTERN
from zhijiao.core.params import FILLED_TEXT_PATTERN

# What a password's rules can say as a pattern (a character other than a digit, no control character); its length
# is minLength, and "not too common, not like the name" only the description can say.
PASSWORD_PATTERN = (
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^0-9\x00-\x08\x0b\x0c\x0e-\x1f\x7f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"  # noqa: S105 - a pattern
)


class RegisterIn(InSchema):
    phone: str | None = Field(
        None,
        max_length=20,
        pattern=r"^(\+86)?1[3-9][0-9]{9}$",
        description="中国大陆手机号码，可带 +86；须是在用号段且尚未注册",
        examples=["13812341234"],
    )
    email: str | None = Field(None, max_length=254, description="电子邮箱，须尚未注册（手机号码和邮箱至少填一项）")
    password: str = Field(
        ...,
        min_length=8,
        max_length=128,
        pattern=PASSWORD_PATTERN,
        description="至少 8 位，不能全为数字，不能过于常见或与昵称、手机号码、邮箱相似",
    )
    display_name: str = Field(..., max_length=50, pattern=FILLED_TEXT_PATTERN, description="昵称")


class MembershipOut(Schema):
    role: str
    role_label: str
    organization_id: int
    organization_name: str
    title: str


class IdentityOut(Schema):
    real_name_masked: str = Field(..., description="姓名，只显示姓")
    id_number_masked: str = Field(
        ..., description="身份证号码，只显示前 6 位和后 4 位", examples=["110105********002X"]
    )
    gender: str
    verified_at: datetime


class ChildOut(Schema):
    id: int
    display_name: str
    relation: str


class MeOut(Schema):
    id: int
    display_name: str
    phone_masked: str = Field(..., examples=["138****1234"])
    email_masked: str
    date_joined: datetime
    roles: list[str]
    memberships: list[MembershipOut]
    identity: IdentityOut | None
    children: list[ChildOut]


class UserCreatedOut(Schema):
    id: int
    display_name: str
    phone_masked: str
    email_masked: str


class IdentityIn(InSchema):
    real_name: str = Field(..., max_length=50, pattern=FILLED_TEXT_PATTERN, description="真实姓名")
    id_number: str = Field(
        ...,
        max_length=30,
        pattern=ID_NUMBER_PATTERN,
        description="18 位居民身份证号码；出生日期不晚于今天，末位校验码须正确",
    )


class IdentityRevealIn(InSchema):
    password: str = Field(
        "",
        max_length=128,
        description="登录密码；同一会话中确认后 REAUTH_SECONDS（默认 300 秒）内可不再提供；用 API 令牌时每次都须提供",
    )


class IdentityRevealOut(Schema):
    id_number: str = Field(..., description="完整号码；每次查看都记入审计日志")


class TokenIn(InSchema):
    name: str = Field(..., max_length=60)
    scopes: list[Literal["read", "write"]] = Field(..., min_length=1, max_length=2)
    expires_in_days: int | None = Field(90, ge=1, le=365, description="有效天数；null 表示永不过期")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="完整令牌，只在创建时返回这一次")
