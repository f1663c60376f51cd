"""The discussion app's writes: ``posting`` (threads, replies, votes, accepted answers, pinning, closing, 课堂讨论
answers and their participation) and ``moderation`` (reports, hiding). Other apps import this package."""

from .moderation import post_hide, post_report, post_unhide
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
    "post_hide",
    "post_report",
    "post_unhide",
    "prompt_reply",
    "reply_create",
    "thread_close",
    "thread_create",
    "thread_pin",
    "vote_toggle",
]
