"""Temporary while the module is split by sub-domain."""

from .codes import *  # noqa: F403
