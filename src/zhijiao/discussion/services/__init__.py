"""The discussion app's writes: ``posting`` (threads, replies, votes, accepted answers, pinning, closing, 课堂讨论
answers and their participation), ``grading`` (课堂讨论 in the run's grade) and ``moderation`` (reports, the report
queue, hiding and showing again). Other apps import this package."""

from .grading import participation_score, prompts_register, prompts_register_once
from .moderation import post_hide, post_report, post_unhide, reports_dismiss
from .posting import (
    answer_accept,
    participated,
    prompt_reply,
    reply_create,
    thread_close,
    thread_create,
    thread_pin,
    vote_toggle,
)

__all__ = [
    "answer_accept",
    "participated",
    "participation_score",
    "post_hide",
    "post_report",
    "post_unhide",
    "prompt_reply",
    "prompts_register",
    "prompts_register_once",
    "reply_create",
    "reports_dismiss",
    "thread_close",
    "thread_create",
    "thread_pin",
    "vote_toggle",
]
