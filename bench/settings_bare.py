"""The benchmark's settings without any middleware: the floor of the stack."""

from .settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
