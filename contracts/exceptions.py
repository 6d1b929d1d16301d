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


class PayloadShredded(QuarantineError):
    """The record's period key was destroyed (crypto-shredding): its payload can never be opened again.

    Says so plainly — unlike a failed decryption, nothing is learnt from knowing a key is gone.
    """

    def __init__(self, quarantine_id: str, key_id: str, shredded_at: str | None) -> None:
        self.quarantine_id, self.key_id, self.shredded_at = quarantine_id, key_id, shredded_at
        when = f"destroyed on {shredded_at[:10]}" if shredded_at else "destroyed"
        super().__init__(f"quarantine record {quarantine_id}: its payload was crypto-shredded (key {key_id} "
                         f"{when}); only its reasons and metadata remain")
