"""Errors of the contracts package: few, specific, extending built-ins.

A record that fails its contract is *not* an error here: the validator returns violations as
data. These are for broken contracts, unknown contract ids and quarantine records that cannot be
opened.
"""

from __future__ import annotations


class ContractError(ValueError):
    """A contract file is malformed, inconsistent, or uses a rule medshare does not know."""


class ContractNotFound(ContractError, LookupError):
    """No contract with that id (and version) is registered."""


class QuarantineError(ValueError):
    """A quarantine record is malformed or cannot be opened (deliberately uninformative on decrypt)."""
