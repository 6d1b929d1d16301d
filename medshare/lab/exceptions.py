"""Errors of the lab. A refused disclosure check is a result, not an exception; a release that is
refused raises :class:`ReleaseRefused` carrying that result."""

from __future__ import annotations

from typing import Any


class LabError(RuntimeError):
    """The lab cannot do what was asked (no lab database, dbt failed, no such mart)."""


class DbtFailed(LabError):
    """A dbt invocation failed; ``failures`` names the nodes that did."""

    def __init__(self, message: str, failures: list[str] | None = None) -> None:
        self.failures = failures or []
        super().__init__(message)


class ReleaseRefused(ValueError):
    """A release was refused (agreement, contract or disclosure check); ``result`` says why."""

    def __init__(self, reason: str, result: Any = None) -> None:
        self.reason = reason
        self.result = result
        super().__init__(reason)
