"""The insurer-side SDK: decrypt medshare field ciphertexts with the insurer's own private keys.

An insurer reads its topic ``insurer.<code>.claims.v1``; identity fields arrive as ``mse1``
envelopes (format in :mod:`privacy.crypto`) that only its X25519 private keys open::

    from privacy.sdk import InsurerDecryptor

    dec = InsurerDecryptor.from_dir("var/insurers/hhb", passphrase=b"...")
    record = dec.decrypt_record(json.loads(message.value), topic="insurer.hhb.claims.v1")

The SDK needs nothing of medshare but ``privacy/{__init__,exceptions,crypto,sdk}.py`` and the
``cryptography`` package, and reads no settings, so an insurer can vendor those four files.

Private keys live in ``<insurer_dir>/keys/v<N>.key`` (PEM PKCS#8, optionally passphrase-encrypted,
mode 0600 from the first byte). Every version not yet deleted decrypts, so rotation keeps old
ciphertexts readable; the insurer deletes a version's file once medshare has retired it and it no
longer holds data encrypted under it. In production the insurer makes its pair with
:func:`generate_private_key` and sends medshare only the public PEM.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from privacy.crypto import (
    GENERIC_FAILURE,
    KEY_ID_RE,
    WRAP_SUITE,
    Envelope,
    decode_plaintext,
    is_envelope,
    wrap_info,
)
from privacy.exceptions import DecryptionError, KeyManagementError

KEY_FILE_RE = re.compile(r"v([1-9][0-9]{0,8})\.key")


# --- private key files -----------------------------------------------------------------------
def write_new_secret_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file that is 0600 from its first byte; never overwrite.

    The bytes go to a temporary 0600 file that is then hard-linked into place, so another
    process never sees a half-written file and two writers cannot both win.
    Raises ``FileExistsError`` if ``path`` exists.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        try:
            os.fchmod(fd, 0o600)  # whatever the umask did
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def private_key_path(insurer_dir: str | Path, version: int) -> Path:
    return Path(insurer_dir) / "keys" / f"v{version}.key"


def generate_private_key(insurer_dir: str | Path, version: int, passphrase: bytes | None = None) -> bytes:
    """Make a new X25519 key pair as ``<insurer_dir>/keys/v<version>.key``; return the public PEM.

    The private key is PEM PKCS#8, encrypted with ``passphrase`` when one is given
    (``BestAvailableEncryption``); the public PEM is also written beside it as ``v<version>.pub``
    (that file is what the insurer sends to medshare). Refuses to overwrite an existing key.
    """
    path = private_key_path(insurer_dir, version)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    key = X25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    try:
        write_new_secret_file(path, pem)
    except FileExistsError:
        raise KeyManagementError(f"private key {path} already exists; refusing to overwrite it") from None
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    path.with_suffix(".pub").write_bytes(public_pem)
    return public_pem


def load_private_key(path: str | Path, passphrase: bytes | None = None) -> X25519PrivateKey:
    """Load one X25519 private key file; a wrong or missing passphrase says so."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyManagementError(f"cannot read private key {path}: {exc.strerror}") from None
    try:
        key = serialization.load_pem_private_key(data, password=passphrase or None)
    except TypeError:
        # encrypted without a passphrase given, or a passphrase given for an unencrypted key
        if passphrase:
            key = serialization.load_pem_private_key(data, password=None)
        else:
            raise KeyManagementError(f"private key {path} is passphrase-protected; give the passphrase") from None
    except ValueError:
        raise KeyManagementError(
            f"cannot load private key {path}: wrong passphrase or not a PEM private key"
        ) from None
    if not isinstance(key, X25519PrivateKey):
        raise KeyManagementError(f"private key {path} is not an X25519 key")
    return key


# --- decryption ------------------------------------------------------------------------------
def envelope_paths(value: Any, prefix: str = "") -> list[str]:
    """Field paths (as used in the associated data) of every ``mse1`` envelope inside ``value``."""
    found: list[str] = []
    if isinstance(value, Mapping):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return [prefix] if is_envelope(value) and prefix else []
    for key, item in items:
        path = f"{prefix}.{key}" if prefix else str(key)
        found.extend(envelope_paths(item, path))
    return found


class InsurerDecryptor:
    """Holds an insurer's private keys by (key id, version) and opens ``mse1`` envelopes.

    Unwrapped data keys are cached (LRU, ``cache_size`` entries), so decrypting a batch costs one
    X25519 per data key, not one per field.
    """

    def __init__(self, private_keys: Mapping[tuple[str, int], X25519PrivateKey], *, cache_size: int = 1024):
        for key_id, version in private_keys:
            if not KEY_ID_RE.fullmatch(key_id) or version < 1:
                raise KeyManagementError(f"invalid key id/version {key_id!r}/{version!r}")
        self._keys = dict(private_keys)
        self._cache: OrderedDict[tuple[str, int, bytes], AESGCM] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @classmethod
    def from_dir(
        cls, insurer_dir: str | Path, passphrase: bytes | None = None, *, key_id: str | None = None
    ) -> InsurerDecryptor:
        """Load every ``<insurer_dir>/keys/v<N>.key``; the key id defaults to the folder's name."""
        insurer_dir = Path(insurer_dir)
        key_id = key_id or insurer_dir.name
        keys_dir = insurer_dir / "keys"
        files = sorted(keys_dir.glob("v*.key")) if keys_dir.is_dir() else []
        keys = {
            (key_id, int(m.group(1))): load_private_key(f, passphrase)
            for f in files
            if (m := KEY_FILE_RE.fullmatch(f.name))
        }
        if not keys:
            raise KeyManagementError(f"no private keys (v<N>.key) in {keys_dir}")
        return cls(keys)

    @property
    def versions(self) -> list[tuple[str, int]]:
        """(key id, version) of every private key held."""
        return sorted(self._keys)

    def _aead(self, env: Envelope) -> AESGCM:
        ref = (env.key_id, env.version, env.wrapped)
        with self._lock:
            aead = self._cache.get(ref)
            if aead is not None:
                self._cache.move_to_end(ref)
                return aead
        private_key = self._keys.get((env.key_id, env.version))
        if private_key is None:
            raise DecryptionError(f"unknown key version {env.version} for key id {env.key_id}")
        try:
            data_key = WRAP_SUITE.decrypt(env.wrapped, private_key, info=wrap_info(env.key_id, env.version))
        except (InvalidTag, ValueError):
            raise DecryptionError(GENERIC_FAILURE) from None
        aead = AESGCM(data_key)
        with self._lock:
            self._cache[ref] = aead
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return aead

    def decrypt_value(self, ciphertext: str, topic: str, record_id: str | int, field: str) -> Any:
        """The JSON value inside ``ciphertext``, if it was made for this topic, record and field."""
        env = Envelope.parse(ciphertext)
        aead = self._aead(env)
        if isinstance(record_id, bool) or not isinstance(record_id, str | int):
            raise DecryptionError(GENERIC_FAILURE)
        try:
            plaintext = aead.decrypt(env.nonce, env.ciphertext, env.aad(topic, str(record_id), field))
            return decode_plaintext(plaintext)
        except (InvalidTag, ValueError):
            raise DecryptionError(GENERIC_FAILURE) from None

    def decrypt_record(
        self, record: Mapping[str, Any], topic: str, record_id_field: str = "setl_id"
    ) -> dict[str, Any]:
        """A copy of ``record`` with every ``mse1`` envelope in it (at any depth) decrypted.

        Raises :class:`DecryptionError` naming the field (never its content) when one fails.
        """
        record_id: Any = record
        for part in record_id_field.split("."):  # a nested id: a revocation's ``revoke.setl_id``
            if not isinstance(record_id, Mapping) or part not in record_id:
                raise DecryptionError(f"record has no id field {record_id_field!r}")
            record_id = record_id[part]
        if is_envelope(record_id):
            raise DecryptionError(f"record id field {record_id_field!r} is itself encrypted")
        return self._walk(record, topic, record_id, "")

    def _walk(self, value: Any, topic: str, record_id: Any, path: str) -> Any:
        if isinstance(value, Mapping):
            return {
                k: self._walk(v, topic, record_id, f"{path}.{k}" if path else str(k)) for k, v in value.items()
            }
        if isinstance(value, list):
            return [self._walk(v, topic, record_id, f"{path}.{i}") for i, v in enumerate(value)]
        if is_envelope(value):
            try:
                return self.decrypt_value(value, topic, record_id, path)
            except DecryptionError as exc:
                raise DecryptionError(f"field {path!r}: {exc}") from None
        return value
