"""The employment platform's pages."""

from .jobs import *  # noqa: F403
