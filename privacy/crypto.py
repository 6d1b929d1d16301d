"""Field-level envelope encryption of single values to one insurer (the pipeline side).

The pipeline holds only an insurer's X25519 *public* key, so it can encrypt to the insurer but
never decrypt; decryption lives in the insurer SDK (:mod:`privacy.sdk`). This module is also the
authoritative description of the ciphertext format, which both sides share.

Envelope encryption
-------------------
An :class:`Encryptor` holds one random AES-256-GCM *data key* and that key wrapped for the
insurer with HPKE (RFC 9180, base mode, suite DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 /
AES-256-GCM, as ``cryptography.hazmat.primitives.hpke`` provides). The data key encrypts many
values; it is replaced after ``max_values`` values or ``max_seconds`` seconds, so the pipeline
does one X25519 per batch, not one per field. Each value stays self-contained: it carries the
wrapped data key, so any single field can be decrypted on its own.

Format ``mse1`` (one ASCII string, six parts separated by ``.``)::

    mse1.<key_id>.<version>.<wrapped>.<nonce>.<ciphertext>

``mse1``
    format tag and version.
``key_id``
    the insurer's keyring name (its insurer code), ``[a-z0-9][a-z0-9_-]{0,31}``.
``version``
    the insurer key version, decimal without leading zeros (``1``, ``2``, ...).
``wrapped``
    base64url without padding of the HPKE output ``enc || seal(data_key)``: 32-byte ephemeral
    X25519 public key, then the 32-byte data key sealed with AES-256-GCM (48 bytes), 80 bytes in
    all (107 characters). HPKE ``info`` is ``b"mse1 data key" || LP(key_id) || LP(version)``,
    HPKE ``aad`` is empty.
``nonce``
    base64url without padding of the 12-byte random AES-GCM nonce (16 characters).
``ciphertext``
    base64url without padding of AES-256-GCM(data_key, nonce, plaintext, AAD): ciphertext then
    the 16-byte tag.

``LP(s)`` is the 4-byte big-endian length of the UTF-8 bytes of ``s`` followed by those bytes.
The associated data binds the value to its place and to the whole header::

    AAD = b"mse1" || LP(key_id) || LP(version) || LP(wrapped bytes)
                  || LP(topic) || LP(record_id) || LP(field)

so moving a ciphertext to another topic, record or field, or editing any part (the decoder also
rejects non-canonical base64), makes decryption fail. ``record_id`` is the record's id as text
(``setl_id`` of a routed settlement, ``claim_id`` of a claim result); ``field`` is the top-level field name, or for a value
nested inside a field the path joined with ``.`` (list positions as decimal indices:
``items.0.item_name``).

The plaintext is the value as compact UTF-8 JSON (any JSON value: string, number, bool, null,
array, object; NaN and infinities are refused), right-padded with spaces to a multiple of 16
bytes so ciphertext lengths do not reveal, say, how many characters a name has. JSON parsers
ignore trailing whitespace, so the insurer simply parses the decrypted bytes.

Overhead: about 150 characters per value (a two-character Chinese name becomes ~190).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from privacy.exceptions import DecryptionError, EncryptionError

if TYPE_CHECKING:
    from medshare.config import Settings

FORMAT = "mse1"
PREFIX = FORMAT + "."
KEY_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
VERSION_RE = re.compile(r"[1-9][0-9]{0,8}")
_B64_RE = re.compile(r"[A-Za-z0-9_-]*")

DATA_KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
PAD_BLOCK = 16
#: HPKE suite wrapping data keys: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM
WRAP_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
WRAPPED_BYTES = 32 + DATA_KEY_BYTES + TAG_BYTES

#: one message for every failure that an attacker could learn from (see DecryptionError)
GENERIC_FAILURE = (
    "value could not be decrypted (malformed, modified, moved to another topic/record/field, "
    "or encrypted for another key)"
)

#: data-key limits of an Encryptor unless told otherwise
DEFAULT_MAX_VALUES = 10_000
DEFAULT_MAX_SECONDS = 300.0


# --- encoding helpers (shared with the SDK) ----------------------------------------------------
def b64e(data: bytes) -> str:
    """base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64d(text: str) -> bytes:
    """Strict base64url without padding: other alphabets, padding and non-canonical forms fail."""
    if not _B64_RE.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not canonical base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:  # pragma: no cover - excluded by the regex and length check
        raise ValueError("not canonical base64url") from exc
    if b64e(data) != text:
        raise ValueError("not canonical base64url")
    return data


def _lp(text: str | bytes) -> bytes:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return len(data).to_bytes(4, "big") + data


def wrap_info(key_id: str, version: int) -> bytes:
    """HPKE ``info`` for wrapping a data key to ``key_id`` version ``version``."""
    return b"mse1 data key" + _lp(key_id) + _lp(str(version))


def header_aad(key_id: str, version: int, wrapped: bytes) -> bytes:
    """The part of the associated data that comes from the envelope header."""
    return FORMAT.encode() + _lp(key_id) + _lp(str(version)) + _lp(wrapped)


def place_aad(topic: str, record_id: str, field: str) -> bytes:
    """The part of the associated data that binds a value to its topic, record and field."""
    return _lp(topic) + _lp(record_id) + _lp(field)


def encode_plaintext(value: Any) -> bytes:
    """Compact UTF-8 JSON of ``value``, space-padded to a multiple of :data:`PAD_BLOCK` bytes."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise EncryptionError(f"value is not encryptable as JSON: {exc}") from None
    data = text.encode("utf-8")
    return data + b" " * (-len(data) % PAD_BLOCK)


def decode_plaintext(data: bytes) -> Any:
    return json.loads(data.decode("utf-8"))


def is_envelope(value: object) -> bool:
    """True when ``value`` looks like an ``mse1`` ciphertext (cheap prefix test, no parsing)."""
    return isinstance(value, str) and value.startswith(PREFIX)


def record_id_text(record_id: object) -> str:
    """The record id as it enters the associated data: strings as-is, integers in decimal."""
    if isinstance(record_id, bool) or not isinstance(record_id, str | int):
        raise EncryptionError(f"record id must be a string or an integer, not {type(record_id).__name__}")
    text = str(record_id)
    if not text:
        raise EncryptionError("record id is empty")
    return text


@dataclass(frozen=True)
class Envelope:
    """The parsed parts of one ``mse1`` ciphertext."""

    key_id: str
    version: int
    wrapped: bytes
    nonce: bytes
    ciphertext: bytes

    @classmethod
    def parse(cls, text: object) -> Envelope:
        """Split and decode; any malformation raises the one generic :class:`DecryptionError`."""
        if not isinstance(text, str) or not text.isascii():
            raise DecryptionError(GENERIC_FAILURE)
        parts = text.split(".")
        if len(parts) != 6 or parts[0] != FORMAT:
            raise DecryptionError(GENERIC_FAILURE)
        _, key_id, version, wrapped, nonce, ciphertext = parts
        if not KEY_ID_RE.fullmatch(key_id) or not VERSION_RE.fullmatch(version):
            raise DecryptionError(GENERIC_FAILURE)
        try:
            env = cls(key_id, int(version), b64d(wrapped), b64d(nonce), b64d(ciphertext))
        except ValueError:
            raise DecryptionError(GENERIC_FAILURE) from None
        if (
            len(env.wrapped) != WRAPPED_BYTES
            or len(env.nonce) != NONCE_BYTES
            or len(env.ciphertext) < TAG_BYTES + PAD_BLOCK
        ):
            raise DecryptionError(GENERIC_FAILURE)
        return env

    def aad(self, topic: str, record_id: str, field: str) -> bytes:
        return header_aad(self.key_id, self.version, self.wrapped) + place_aad(topic, record_id, field)

    def encode(self) -> str:
        return ".".join(
            (FORMAT, self.key_id, str(self.version), b64e(self.wrapped), b64e(self.nonce), b64e(self.ciphertext))
        )


def wrap_data_key(data_key: bytes, public_key: X25519PublicKey, key_id: str, version: int) -> bytes:
    """Seal ``data_key`` for the holder of ``public_key`` (HPKE base mode, fresh ephemeral key)."""
    return WRAP_SUITE.encrypt(data_key, public_key, info=wrap_info(key_id, version))


#: where an Encryptor following an insurer's current key gets it: () -> (public key, key id, version)
KeySource = Callable[[], tuple[X25519PublicKey, str, int]]


@dataclass(frozen=True)
class _DataKey:
    aead: AESGCM
    header: str  # "mse1.<key_id>.<version>.<wrapped>"
    aad_prefix: bytes
    key_id: str
    version: int
    born: float


class Encryptor:
    """Encrypts values to one insurer key with a data key that rotates every N values or T seconds.

    Thread-safe. ``rng`` and ``wrap`` are test seams: ``rng(n)`` supplies the data keys and
    nonces (default ``os.urandom``), ``wrap(data_key, public_key, key_id, version)`` seals the
    data key (default HPKE, :func:`wrap_data_key`). ``key_source``, when given, is asked for the
    key each time a new data key is made, so a long-running processor picks up a rotated insurer
    key within ``max_seconds`` without a restart (:meth:`for_insurer` sets it).
    """

    def __init__(
        self,
        public_key: X25519PublicKey,
        key_id: str,
        version: int,
        *,
        max_values: int = DEFAULT_MAX_VALUES,
        max_seconds: float = DEFAULT_MAX_SECONDS,
        key_source: KeySource | None = None,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[int], bytes] = os.urandom,
        wrap: Callable[[bytes, X25519PublicKey, str, int], bytes] = wrap_data_key,
    ) -> None:
        if not isinstance(public_key, X25519PublicKey):
            raise EncryptionError("the insurer key must be an X25519 public key")
        if not KEY_ID_RE.fullmatch(key_id):
            raise EncryptionError(f"key id {key_id!r} is invalid: use [a-z0-9][a-z0-9_-]{{0,31}}")
        if isinstance(version, bool) or not isinstance(version, int) or not VERSION_RE.fullmatch(str(version)):
            raise EncryptionError(f"key version {version!r} is invalid: use a positive integer")
        if max_values < 1 or max_seconds <= 0:
            raise EncryptionError("max_values must be >= 1 and max_seconds > 0")
        self._key = (public_key, key_id, version)
        self._max_values = max_values
        self._max_seconds = max_seconds
        self._key_source = key_source
        self._clock = clock
        self._rng = rng
        self._wrap = wrap
        self._lock = threading.Lock()
        self._dk: _DataKey | None = None
        self._used = 0
        self.data_keys_made = 0

    @classmethod
    def for_insurer(
        cls, code: str, cfg: Settings | None = None, *, version: int | None = None, **limits: Any
    ) -> Encryptor:
        """An encryptor to insurer ``code``'s key in the pipeline keyring.

        With ``version=None`` it follows the current version (re-read when a data key is made);
        a retired version is refused with :class:`~privacy.exceptions.KeyManagementError`.
        """
        from privacy import keys

        info, public_key = keys.encryption_key(code, version=version, cfg=cfg)

        def follow_current() -> tuple[X25519PublicKey, str, int]:
            cur, pub = keys.encryption_key(code, cfg=cfg)
            return pub, cur.key_id, cur.version

        source = follow_current if version is None else None
        return cls(public_key, info.key_id, info.version, key_source=source, **limits)

    @property
    def key_id(self) -> str:
        return self._key[1]

    @property
    def version(self) -> int:
        return self._key[2]

    def rotate_data_key(self) -> None:
        """Make a new data key now (the next value is encrypted under it)."""
        with self._lock:
            self._new_data_key()

    def _new_data_key(self) -> _DataKey:
        if self._key_source is not None:
            self._key = self._key_source()
        public_key, key_id, version = self._key
        data_key = self._rng(DATA_KEY_BYTES)
        wrapped = self._wrap(data_key, public_key, key_id, version)
        self._dk = _DataKey(
            aead=AESGCM(data_key),
            header=f"{FORMAT}.{key_id}.{version}.{b64e(wrapped)}",
            aad_prefix=header_aad(key_id, version, wrapped),
            key_id=key_id,
            version=version,
            born=self._clock(),
        )
        self._used = 0
        self.data_keys_made += 1
        return self._dk

    def _data_key(self) -> _DataKey:
        with self._lock:
            dk = self._dk
            if dk is None or self._used >= self._max_values or self._clock() - dk.born >= self._max_seconds:
                dk = self._new_data_key()
            self._used += 1
            return dk

    def encrypt(self, value: Any, *, topic: str, record_id: str | int, field: str) -> str:
        """Encrypt one JSON value for ``field`` of record ``record_id`` on ``topic``."""
        for name, part in (("topic", topic), ("field", field)):
            if not isinstance(part, str) or not part:
                raise EncryptionError(f"{name} must be a non-empty string")
        rid = record_id_text(record_id)
        plaintext = encode_plaintext(value)
        dk = self._data_key()
        nonce = self._rng(NONCE_BYTES)
        ciphertext = dk.aead.encrypt(nonce, plaintext, dk.aad_prefix + place_aad(topic, rid, field))
        return f"{dk.header}.{b64e(nonce)}.{b64e(ciphertext)}"

    def encrypt_fields(
        self,
        record: Mapping[str, Any],
        fields: Iterable[str],
        *,
        topic: str,
        record_id_field: str = "setl_id",
    ) -> dict[str, Any]:
        """A copy of ``record`` with the named top-level fields encrypted (absent ones skipped)."""
        fields = tuple(fields)
        if record_id_field in fields:
            raise EncryptionError(f"the record id field {record_id_field!r} cannot be encrypted")
        if record_id_field not in record:
            raise EncryptionError(f"record has no id field {record_id_field!r}")
        rid = record_id_text(record[record_id_field])
        out = dict(record)
        for name in fields:
            if name in out:
                out[name] = self.encrypt(out[name], topic=topic, record_id=rid, field=name)
        return out
