"""How often a member may post (threads, replies, 课堂讨论 answers): ``DISCUSSION_POST_RATE`` per member and client
address, 10 a minute unless a deployment says otherwise — enough for a lively class, too few for a spam script."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext

from zhijiao.core.ratelimit import RateLimited, parse_rate, rate_limit

DEFAULT_RATE = "10/min"


def check_post_rate(request: HttpRequest) -> None:
    """Count one post; a ``RateLimited`` (429, with a message saying when to try again) beyond the limit."""
    limit, window = parse_rate(getattr(settings, "DISCUSSION_POST_RATE", DEFAULT_RATE))
    user_id = getattr(request.user, "pk", None) or 0
    try:
        rate_limit(request, f"discussion.post:{user_id}", limit, window)
    except RateLimited as exc:
        exc.message = gettext("发言太频繁了，请 %(seconds)d 秒后再试") % {"seconds": exc.retry_after}
        raise
