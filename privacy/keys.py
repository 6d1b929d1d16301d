"""Key management on files under :func:`medshare.config.settings`: insurer keys and pipeline secrets.

Three places, three owners::

    keyring/<code>/manifest.json    the pipeline's keyring for insurer <code>: versions, which is
    keyring/<code>/v<N>.pub         current, which retired; public keys only (PEM SPKI, X25519)
    insurers/<code>/keys/v<N>.key   the insurer's own private keys (demo only: in production they
                                    never exist on the pipeline side), PEM PKCS#8, 0600
    pipeline/<name>.key             the pipeline's own 32-byte symmetric secrets, 0600

Key lifecycle, the MultiFernet way: :func:`rotate` (or :func:`register_public_key` with the
insurer's new public key) adds a version and makes it *current*; the pipeline encrypts with the
current version only. Older versions become *previous*: the insurer still decrypts with them.
:func:`retire` is explicit: a retired version is refused for encryption, and the insurer may
delete its private key once it no longer holds data encrypted under it. Retire a version only
after every processor has picked up the new one (an :class:`~privacy.crypto.Encryptor` re-reads
the keyring each time it makes a data key, by default at least every 300 s) and consumers have
drained. Versions are never reused.

The key id written into every ciphertext is the keyring's name, the insurer code.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from medshare.config import Settings, private_dir, settings
from privacy.exceptions import KeyManagementError
from privacy.sdk import generate_private_key, private_key_path, write_new_secret_file

CURRENT = "current"
PREVIOUS = "previous"
RETIRED = "retired"

MANIFEST = "manifest.json"
_CODE_RE = re.compile(r"[a-z][a-z0-9]{1,15}")
_SECRET_NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
SECRET_BYTES = 32


@dataclass(frozen=True)
class KeyInfo:
    """One version of an insurer's key as the pipeline keyring knows it."""

    code: str
    key_id: str
    version: int
    public_key_path: Path
    #: the insurer's private key file when it is held on this machine (the demo), else None
    private_key_path: Path | None
    created_at: datetime
    status: str
    #: ``sha256:`` + first 16 bytes (hex) of the raw public key, to compare out of band
    fingerprint: str = ""
    retired_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "key_id": self.key_id,
            "version": self.version,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
            "retired_at": self.retired_at.isoformat() if self.retired_at else None,
            "fingerprint": self.fingerprint,
            "public_key_path": str(self.public_key_path),
            "private_key_path": str(self.private_key_path) if self.private_key_path else None,
        }


# --- helpers ---------------------------------------------------------------------------------
def _cfg(cfg: Settings | None) -> Settings:
    return cfg if cfg is not None else settings()


def _check_code(code: str) -> str:
    if not isinstance(code, str) or not _CODE_RE.fullmatch(code):
        raise KeyManagementError(
            f"insurer code {code!r} is invalid: use 2-16 lowercase letters/digits starting with a letter"
        )
    return code


def _passphrase(passphrase: bytes | None, cfg: Settings) -> bytes | None:
    if passphrase is not None:
        return passphrase or None
    if cfg.key_passphrase is not None:
        return cfg.key_passphrase.get_secret_value().encode("utf-8") or None
    return None


def fingerprint(public_key: X25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()[:32]


def _load_public_pem(data: bytes, what: str) -> X25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        raise KeyManagementError(f"{what} is not a PEM public key") from None
    if not isinstance(key, X25519PublicKey):
        raise KeyManagementError(f"{what} is a {type(key).__name__}, but medshare needs an X25519 public key")
    return key


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _ring(code: str, cfg: Settings) -> Path:
    return cfg.keyring_dir / _check_code(code)


def _read_manifest(code: str, cfg: Settings) -> dict[str, Any] | None:
    path = _ring(code, cfg) / MANIFEST
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise KeyManagementError(f"keyring manifest {path} is unreadable: {exc}") from None


def _write_manifest(code: str, manifest: dict[str, Any], cfg: Settings) -> None:
    path = _ring(code, cfg) / MANIFEST
    tmp = path.with_name(f".{MANIFEST}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
    os.replace(tmp, path)


@contextmanager
def _locked(code: str, cfg: Settings) -> Iterator[None]:
    """Serialise changes to one insurer's keyring across processes."""
    ring = _ring(code, cfg)
    ring.mkdir(parents=True, exist_ok=True)
    with open(ring / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _info(code: str, manifest: dict[str, Any], entry: dict[str, Any], cfg: Settings) -> KeyInfo:
    version = int(entry["version"])
    priv = private_key_path(cfg.insurers_dir / code, version)
    return KeyInfo(
        code=code,
        key_id=manifest["key_id"],
        version=version,
        public_key_path=_ring(code, cfg) / f"v{version}.pub",
        private_key_path=priv if priv.exists() else None,
        created_at=datetime.fromisoformat(entry["created_at"]),
        status=entry["status"],
        fingerprint=entry.get("fingerprint", ""),
        retired_at=datetime.fromisoformat(entry["retired_at"]) if entry.get("retired_at") else None,
    )


def _entry(manifest: dict[str, Any], version: int) -> dict[str, Any] | None:
    return next((e for e in manifest["versions"] if e["version"] == version), None)


def _add_version(
    code: str, public_key: X25519PublicKey, version: int | None, manifest: dict[str, Any] | None, cfg: Settings
) -> KeyInfo:
    """Record ``public_key`` as a new current version (caller holds the lock)."""
    manifest = manifest or {"key_id": code, "current": None, "versions": []}
    highest = max((e["version"] for e in manifest["versions"]), default=0)
    if version is None:
        version = highest + 1
    elif version <= highest:
        raise KeyManagementError(
            f"version {version} of insurer {code} is not new (highest is {highest}): the insurer generates "
            f"its key pair as version {highest + 1} (privacy.sdk.generate_private_key(dir, {highest + 1})) and "
            f"sends v{highest + 1}.pub")
    pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    (_ring(code, cfg) / f"v{version}.pub").write_bytes(pem)
    for e in manifest["versions"]:
        if e["status"] == CURRENT:
            e["status"] = PREVIOUS
    entry = {"version": version, "status": CURRENT, "created_at": _now().isoformat(),
             "fingerprint": fingerprint(public_key), "retired_at": None}
    manifest["versions"].append(entry)
    manifest["current"] = version
    _write_manifest(code, manifest, cfg)
    return _info(code, manifest, entry, cfg)


def _current_entry(manifest: dict[str, Any] | None) -> dict[str, Any] | None:
    if not manifest or manifest.get("current") is None:
        return None
    return _entry(manifest, manifest["current"])


# --- public API ------------------------------------------------------------------------------
def create_insurer_keypair(code: str, passphrase: bytes | None = None, cfg: Settings | None = None) -> KeyInfo:
    """Demo onboarding: make a key pair in the insurer's own folder and register its public half.

    Idempotent: when the insurer already has a current key (generated here or registered), that
    key is returned and nothing is created. ``passphrase`` defaults to ``MEDSHARE_KEY_PASSPHRASE``.
    """
    cfg = _cfg(cfg)
    with _locked(code, cfg):
        manifest = _read_manifest(code, cfg)
        current = _current_entry(manifest)
        if manifest is not None and current is not None:
            return _info(code, manifest, current, cfg)
        return _generate_and_add(code, manifest, passphrase, cfg)


def _generate_and_add(code: str, manifest: dict[str, Any] | None, passphrase: bytes | None, cfg: Settings) -> KeyInfo:
    highest = max((e["version"] for e in (manifest or {}).get("versions", [])), default=0)
    version = highest + 1
    insurer_dir = private_dir(cfg.insurers_dir / code)
    public_pem = generate_private_key(insurer_dir, version, _passphrase(passphrase, cfg))
    return _add_version(code, _load_public_pem(public_pem, "generated key"), version, manifest, cfg)


def register_public_key(
    code: str, public_pem: bytes, cfg: Settings | None = None, *, version: int | None = None
) -> KeyInfo:
    """Production onboarding/rotation: record the public key an insurer sent as its current key.

    It gets the next version unless ``version`` is given (it must be higher than any so far); the
    insurer stores its private key as ``keys/v<version>.key``. Registering a key that is already
    the current or a previous version returns it unchanged; a retired key is refused.
    """
    cfg = _cfg(cfg)
    key = _load_public_pem(public_pem, f"the public key given for insurer {_check_code(code)}")
    fp = fingerprint(key)
    with _locked(code, cfg):
        manifest = _read_manifest(code, cfg)
        for e in (manifest or {}).get("versions", []):
            if e.get("fingerprint") == fp:
                if e["status"] == RETIRED:
                    raise KeyManagementError(
                        f"this public key was version {e['version']} of insurer {code}, now retired; "
                        "generate a new key pair"
                    )
                assert manifest is not None
                return _info(code, manifest, e, cfg)
        return _add_version(code, key, version, manifest, cfg)


def rotate(code: str, cfg: Settings | None = None, passphrase: bytes | None = None) -> KeyInfo:
    """Make a new key version current (the previous ones still decrypt on the insurer's side).

    Only possible here when the insurer's private keys are held locally (the demo); an insurer
    that manages its own keys rotates by sending a new public key (:func:`register_public_key`).
    """
    cfg = _cfg(cfg)
    with _locked(code, cfg):
        manifest = _read_manifest(code, cfg)
        current = _current_entry(manifest)
        if manifest is None or current is None:
            raise KeyManagementError(f"insurer {code} has no key yet; onboard it first")
        if not private_key_path(cfg.insurers_dir / code, current["version"]).exists():
            raise KeyManagementError(
                f"insurer {code} manages its own private keys: register its new public key instead"
            )
        return _generate_and_add(code, manifest, passphrase, cfg)


def retire(code: str, version: int, cfg: Settings | None = None) -> KeyInfo:
    """Retire ``version``: never encrypt with it again. The current version cannot be retired."""
    cfg = _cfg(cfg)
    with _locked(code, cfg):
        manifest = _read_manifest(code, cfg)
        entry = _entry(manifest, version) if manifest else None
        if manifest is None or entry is None:
            raise KeyManagementError(f"insurer {code} has no key version {version}")
        if entry["status"] == CURRENT:
            raise KeyManagementError(
                f"version {version} is insurer {code}'s current key: rotate first, then retire it"
            )
        if entry["status"] != RETIRED:
            entry["status"] = RETIRED
            entry["retired_at"] = _now().isoformat()
            _write_manifest(code, manifest, cfg)
        return _info(code, manifest, entry, cfg)


def list_keys(code: str | None = None, cfg: Settings | None = None) -> list[KeyInfo]:
    """Every version of every insurer in the keyring (or of ``code`` only), by insurer and version."""
    cfg = _cfg(cfg)
    if code is not None:
        codes = [_check_code(code)]
    elif cfg.keyring_dir.is_dir():
        codes = sorted(p.name for p in cfg.keyring_dir.iterdir() if (p / MANIFEST).is_file())
    else:
        codes = []
    out: list[KeyInfo] = []
    for c in codes:
        manifest = _read_manifest(c, cfg)
        if manifest:
            out.extend(_info(c, manifest, e, cfg) for e in sorted(manifest["versions"], key=lambda e: e["version"]))
    return out


def live_versions(code: str, cfg: Settings | None = None) -> list[KeyInfo]:
    """The versions not retired (current and previous), oldest first."""
    return [k for k in list_keys(code, cfg) if k.status != RETIRED]


def current_key(code: str, cfg: Settings | None = None) -> KeyInfo:
    """The version the pipeline encrypts with."""
    cfg = _cfg(cfg)
    manifest = _read_manifest(code, cfg)
    entry = _current_entry(manifest)
    if manifest is None or entry is None:
        raise KeyManagementError(f"insurer {code} has no key in the keyring; onboard it first")
    return _info(code, manifest, entry, cfg)


def encryption_key(
    code: str, version: int | None = None, cfg: Settings | None = None
) -> tuple[KeyInfo, X25519PublicKey]:
    """The public key to encrypt to: the current version, or ``version`` unless it is retired."""
    cfg = _cfg(cfg)
    if version is None:
        info = current_key(code, cfg)
    else:
        found = [k for k in list_keys(code, cfg) if k.version == version]
        if not found:
            raise KeyManagementError(f"insurer {code} has no key version {version}")
        info = found[0]
    if info.status == RETIRED:
        raise KeyManagementError(
            f"key version {info.version} of insurer {code} is retired and may not be used to encrypt"
        )
    try:
        pem = info.public_key_path.read_bytes()
    except OSError as exc:
        raise KeyManagementError(f"cannot read {info.public_key_path}: {exc.strerror}") from None
    key = _load_public_pem(pem, str(info.public_key_path))
    if fingerprint(key) != info.fingerprint:
        raise KeyManagementError(f"{info.public_key_path} does not match the keyring manifest's fingerprint")
    return info, key


def pipeline_secret(name: str, cfg: Settings | None = None) -> bytes:
    """The pipeline's 32-byte secret ``name`` (``pipeline/<name>.key``), created once, 0600.

    Used for the lab pseudonym key and the quarantine key. Safe against two processes creating
    it at the same time: both get the same bytes.
    """
    cfg = _cfg(cfg)
    if not isinstance(name, str) or not _SECRET_NAME_RE.fullmatch(name):
        raise KeyManagementError(f"secret name {name!r} is invalid: use [a-z0-9][a-z0-9_-]*")
    path = private_dir(cfg.pipeline_dir) / f"{name}.key"
    if not path.exists():
        try:
            write_new_secret_file(path, os.urandom(SECRET_BYTES))
        except FileExistsError:
            pass  # another process made it first: use theirs
    data = path.read_bytes()
    if len(data) != SECRET_BYTES:
        raise KeyManagementError(f"pipeline secret {path} is {len(data)} bytes, expected {SECRET_BYTES}")
    return data
