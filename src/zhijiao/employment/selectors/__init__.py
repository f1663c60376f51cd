"""Reads of the employment platform and its access checks."""

from .jobs import *  # noqa: F403
