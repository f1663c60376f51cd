"""Job push: what a graduate was pushed, and whose one-click "stop pushing" link a token is."""

from __future__ import annotations

from datetime import timedelta

from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zhijiao.core.errors import DomainError, NotFound

from ..models import Graduate, JobPush


def pushes_of(*, graduate: Graduate, limit: int = 50) -> QuerySet[JobPush]:
    return (
        JobPush.objects.filter(graduate=graduate).select_related("job", "job__employer").order_by("-day", "-id")[:limit]
    )


# How long a "stop pushing" link works: long enough for a message read weeks later, short enough that an old
# forwarded email does not hold the switch for ever (the settings page always works).
PUSH_STOP_MAX_AGE = timedelta(days=60)


def push_stop_signer() -> TimestampSigner:
    """The signer of the one-click "stop pushing" links: the job push signs them, the stop page reads them."""
    return TimestampSigner(salt="employment.push.stop")


def access_push_stop(*, token: str) -> Graduate:
    """The graduate a "stop pushing" link names (it works without signing in); a forged one is "not found", an
    expired one says so."""
    try:
        graduate_id = int(push_stop_signer().unsign(token, max_age=PUSH_STOP_MAX_AGE))
    except SignatureExpired as exc:
        raise DomainError("link_expired", _("此链接已过期。请登录后在“岗位推送”设置里停止推送。"), status=410) from exc
    except (BadSignature, ValueError) as exc:
        raise NotFound from exc
    graduate = Graduate.objects.filter(pk=graduate_id).first()
    if graduate is None:
        raise NotFound
    return graduate
