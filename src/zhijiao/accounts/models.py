from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijiao.core.fields import EncryptedTextField
from zhijiao.core.masking import mask_email, mask_id_number, mask_name, mask_phone
from zhijiao.core.models import BaseModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self, phone: str | None = None, password: str | None = None, *, email: str | None = None, **extra: Any
    ) -> "User":
        if not phone and not email:
            raise ValueError("a user needs a phone number or an email address")
        user = self.model(phone=phone or None, email=self.normalize_email(email) if email else None, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str | None = None, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in, by mobile number or email address."""

    phone = models.CharField(_("手机号码"), max_length=11, unique=True, null=True, blank=True)
    email = models.EmailField(_("电子邮箱"), unique=True, null=True, blank=True)
    display_name = models.CharField(_("昵称"), max_length=50, blank=True)
    language = models.CharField(_("界面语言"), max_length=10, choices=settings.LANGUAGES, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    is_staff = models.BooleanField(_("可进入管理后台"), default=False)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "phone"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["email"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=Q(phone__isnull=False) | Q(email__isnull=False), name="user_has_phone_or_email"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.masked_login

    @property
    def masked_login(self) -> str:
        return mask_phone(self.phone) if self.phone else mask_email(self.email or "")

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone or "")

    @property
    def masked_email(self) -> str:
        return mask_email(self.email or "")

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


class Identity(BaseModel):
    """A person's real-name identity (实名认证): name and resident ID number, sealed at rest."""

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="identity", verbose_name=_("用户"))
    real_name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedTextField(_("身份证号码（密文）"), context="accounts.identity.id_number")
    id_number_index = models.CharField(_("身份证号码索引"), max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, editable=False)
    birth_date = models.DateField(_("出生日期"))
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)

    class Meta:
        verbose_name = _("实名身份")
        verbose_name_plural = _("实名身份")

    def __str__(self) -> str:
        return f"{mask_name(self.real_name)} {self.id_number_masked}"

    @property
    def masked_name(self) -> str:
        return mask_name(self.real_name)

    @staticmethod
    def mask(number: str) -> str:
        return mask_id_number(number)


class Guardianship(BaseModel):
    """A parent (or other guardian) linked to a child, so they can follow the child's learning."""

    class Relation(models.TextChoices):
        FATHER = "father", _("父亲")
        MOTHER = "mother", _("母亲")
        GUARDIAN = "guardian", _("其他监护人")

    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="children_links", verbose_name=_("家长"))
    child = models.ForeignKey(User, on_delete=models.CASCADE, related_name="parent_links", verbose_name=_("孩子"))
    relation = models.CharField(_("关系"), max_length=16, choices=Relation.choices, default=Relation.GUARDIAN)

    class Meta:
        verbose_name = _("亲子关系")
        verbose_name_plural = _("亲子关系")
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="guardianship_unique_pair"),
            models.CheckConstraint(condition=~Q(parent=models.F("child")), name="guardianship_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.parent} → {self.child}"


class ApiToken(BaseModel):
    """A personal API token for integrations: only its SHA-256 is stored; it can be revoked any time."""

    class Scope(models.TextChoices):
        READ = "read", _("读取")
        WRITE = "write", _("写入")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户"))
    name = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(_("前缀"), max_length=12, db_index=True)
    key_hash = models.CharField(_("散列"), max_length=64, unique=True)
    scopes = models.JSONField(_("权限范围"), default=list)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, *, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
