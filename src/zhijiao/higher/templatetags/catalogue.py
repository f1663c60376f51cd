"""Small helpers of the course catalogue's cards."""

from django import template

register = template.Library()

COVER_VARIANTS = 6  # the generated cover colours of site.css (topic-cover-v0 … v5)


@register.filter
def cover_variant(course_id: int) -> int:
    """Which generated cover a course without an uploaded one wears (stable per course)."""
    return int(course_id or 0) % COVER_VARIANTS
