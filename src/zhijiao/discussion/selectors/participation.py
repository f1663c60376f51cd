"""课堂讨论 participation, as the grading policy reads it."""

from __future__ import annotations

from zhijiao.accounts.models import User
from zhijiao.courses.models import Run

from ..models import Participation


def participation_for(run: Run, user: User) -> dict[str, Participation]:
    """A learner's participation in a run's discussion prompts, by the block's ``content_id``: when they first
    answered and how many answers they gave. One query; a prompt they never answered is absent."""
    return {str(row.content_id): row for row in Participation.objects.filter(run=run, user=user)}
