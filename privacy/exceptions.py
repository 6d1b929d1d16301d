"""Errors of the privacy package: few, specific, each extending a built-in.

Append new classes at the end; keep this module free of imports beyond the standard library so
that the insurer SDK (which an insurer vendors) can import it on its own.
"""

from __future__ import annotations


class DecryptionError(ValueError):
    """A field ciphertext could not be decrypted.

    One error for every failure (malformed, tampered, moved to another topic/record/field, wrong
    key): its message says nothing about which, as Fernet's ``InvalidToken`` does. The one
    exception is a key that is simply not held ("unknown key version 3 for key id hhb"), which is
    not secret and tells the insurer which private key to restore.
    """


class EncryptionError(ValueError):
    """A value cannot be encrypted (not JSON-serialisable, or a bad topic/record/field name)."""


class KeyManagementError(ValueError):
    """A key cannot be created, registered, rotated, retired or loaded; the message says why."""


class GeneralisationError(ValueError):
    """A value cannot be generalised by a rule (wrong type, malformed date or ID)."""
