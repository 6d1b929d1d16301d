"""Errors a user can act on. The CLI prints their message on one line and exits 1."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix: a missing file, a bad argument, a service that is not running."""


class BrokerError(UserError):
    """The local Kafka broker could not be installed, started, reached or stopped."""
