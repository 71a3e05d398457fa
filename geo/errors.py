"""Storymap's exceptions: one root, each leaf also the matching builtin (as geopy's ``exc``).

A place that is not found is ``None``, not an error; errors are for input and set-up faults
that a user must fix, and their messages name the file and the problem.
"""
from __future__ import annotations


class StorymapError(Exception):
    """Root of every error Storymap raises on purpose."""


class ConfigurationError(StorymapError, ValueError):
    """A bad option: unknown geocoder name, missing model, unreadable data file."""


class ArticleError(StorymapError, ValueError):
    """An article file that cannot be used (binary, empty, too large, undecodable)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class GeocodingError(StorymapError):
    """A geocoder failed (not: found nothing). Online backends raise it; callers fall back."""


class StoreError(StorymapError):
    """The story database cannot be used: busy (locked), read-only, not a database, or
    written by a newer Storymap. The message says which and what to do."""


class StoryError(StorymapError, ValueError):
    """A request about stories that cannot be met: no such story, a name taken or unusable,
    a correction that makes no sense (a pin off the globe)."""
