"""Keyed pseudonyms: the lab's person key, stable within a project, unlinkable across projects.

Why not a plain hash of the ID: there are only about 10^9 valid Shanghai resident ID numbers
(6-digit region code from a short list, a birth date within ~100 years, a 3-digit sequence, and a
check digit computed from the rest), and fewer person or card numbers. Anyone holding
``sha256(id)`` can hash every candidate in minutes on a laptop and read the ID back, so a plain
(or salted-but-public) hash is no pseudonym at all. An HMAC under a secret key cannot be
enumerated without the key, which never leaves the pipeline (``pipeline/<name>.key``).

Construction::

    project_key' = HMAC-SHA256(project_key, b"medshare pseudonym v1" || LP(project))
    pseudonym    = hex(HMAC-SHA256(project_key', LP(domain) || LP(value))[:16])

(``LP`` = 4-byte big-endian length, then the UTF-8 bytes.) 32 hex characters, 128 bits: with
10^8 people the chance of any collision is about 10^-23. The project name is mixed in so that
even a key reused by mistake across projects gives unrelated pseudonyms; the domain separates
kinds of identifier (``person``, ``card``, ...) so equal strings in different roles do not link.
Values are used exactly as given: canonicalise first (e.g. upper-case a resident ID's final ``x``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medshare.config import Settings

MIN_KEY_BYTES = 16
_DOMAIN_RE = re.compile(r"[a-z][a-z0-9_-]{0,31}")


def _lp(text: str) -> bytes:
    data = text.encode("utf-8")
    return len(data).to_bytes(4, "big") + data


class Pseudonymiser:
    """HMAC-SHA256 pseudonyms for one project (e.g. ``lab``) under that project's secret key."""

    def __init__(self, project_key: bytes, project: str) -> None:
        if not isinstance(project_key, bytes | bytearray) or len(project_key) < MIN_KEY_BYTES:
            raise ValueError(f"project key must be at least {MIN_KEY_BYTES} random bytes")
        if not isinstance(project, str) or not project:
            raise ValueError("project name must be a non-empty string")
        self.project = project
        self._key = hmac.new(bytes(project_key), b"medshare pseudonym v1" + _lp(project), hashlib.sha256).digest()
        #: the keyed HMAC state before any message; each pseudonym copies it (no re-keying per call)
        self._mac = hmac.new(self._key, digestmod=hashlib.sha256)
        self._domains: set[str] = set()
        #: (domain, value) -> pseudonym: a processor meets the same persons again and again (one
        #: person's settlements, the partition key and the audit reference of each disclosure)
        self._memo: dict[tuple[str, str], str] = {}

    @classmethod
    def for_project(cls, project: str = "lab", cfg: Settings | None = None) -> Pseudonymiser:
        """The pseudonymiser of ``project`` keyed by the pipeline secret ``pseudonym-<project>``."""
        from privacy.keys import pipeline_secret

        return cls(pipeline_secret(f"pseudonym-{project}", cfg), project)

    #: most pseudonyms remembered; the memo is emptied when it reaches this many
    MEMO_LIMIT = 100_000

    def pseudonym(self, value: str, domain: str = "person") -> str:
        """32 lowercase hex characters, the same for the same (project key, project, domain, value)."""
        if type(value) is str and type(domain) is str:
            memo = self._memo.get((domain, value))
            if memo is not None:
                return memo
        if not isinstance(value, str) or not value:
            raise ValueError("only a non-empty string can be pseudonymised")
        if domain not in self._domains:
            if not isinstance(domain, str) or not _DOMAIN_RE.fullmatch(domain):
                raise ValueError(f"domain {domain!r} is invalid: use [a-z][a-z0-9_-]*")
            self._domains.add(domain)
        mac = self._mac.copy()
        mac.update(_lp(domain) + _lp(value))
        out = mac.digest()[:16].hex()
        if len(self._memo) >= self.MEMO_LIMIT:
            self._memo.clear()
        self._memo[(domain, value)] = out
        return out

    def __repr__(self) -> str:  # never show the key
        return f"Pseudonymiser(project={self.project!r})"
