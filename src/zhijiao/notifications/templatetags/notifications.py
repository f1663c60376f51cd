from typing import Any

from django import template

from zhijiao.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: Any) -> int:
    """How many unread messages the signed-in person has (0 for visitors); one indexed count, none when the page
    already counted them (the notification centre passes ``notifications_unread``)."""
    counted = context.get("notifications_unread")
    if isinstance(counted, int):
        return counted
    request = context.get("request")
    return unread_count(user=getattr(request, "user", None))
