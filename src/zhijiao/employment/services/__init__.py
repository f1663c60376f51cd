"""Every write of the employment platform."""

from .feeds import *  # noqa: F403
from .feeds import _push_signer  # noqa: F401
