"""Local development: the embedded default (SQLite, in-process tasks), debug on."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DEBUG", True)
