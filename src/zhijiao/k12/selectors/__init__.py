"""Temporary while the module is split by sub-domain."""

from .classes import *  # noqa: F403
