"""Job push: what a graduate was pushed, and whose one-click "stop pushing" link a token is."""

from __future__ import annotations

from django.core.signing import BadSignature, Signer
from django.db.models import QuerySet

from zhijiao.core.errors import NotFound

from ..models import Graduate, JobPush


def pushes_of(*, graduate: Graduate, limit: int = 50) -> QuerySet[JobPush]:
    return (
        JobPush.objects.filter(graduate=graduate).select_related("job", "job__employer").order_by("-day", "-id")[:limit]
    )


def push_stop_signer() -> Signer:
    """The signer of the one-click "stop pushing" links: the job push signs them, the stop page reads them."""
    return Signer(salt="employment.push.stop")


def access_push_stop(*, token: str) -> Graduate:
    """The graduate a "stop pushing" link names (it works without signing in); a forged one is "not found"."""
    try:
        graduate_id = int(push_stop_signer().unsign(token))
    except (BadSignature, ValueError) as exc:
        raise NotFound from exc
    graduate = Graduate.objects.filter(pk=graduate_id).first()
    if graduate is None:
        raise NotFound
    return graduate
