"""Find contracts by id (and version), by topic or by lab table; load each once.

Contracts live in ``contracts/odcs/*.yaml`` (any file name; the ``id`` and ``version`` inside
count). Several versions of one id may sit side by side (``platform.settlements.v1.yaml`` and
``platform.settlements.v1@1.1.0.yaml``); without a version the highest one is returned.

An insurer's claims contract (``insurer.<code>.claims.v1``) that is not checked in is generated
from its sharing agreement on first use (:mod:`contracts.claims`).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from contracts.exceptions import ContractError, ContractNotFound
from contracts.model import Contract
from contracts.validator import RecordValidator

CONTRACTS_DIR = Path(__file__).resolve().parent / "odcs"

_lock = threading.Lock()
_extra_dirs: list[Path] = []


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in version.split("."))


@lru_cache(maxsize=1)
def _index() -> dict[str, dict[str, Path]]:
    """``{id: {version: path}}`` of every contract file (reads only ``id``/``version``)."""
    import yaml

    out: dict[str, dict[str, Path]] = {}
    for folder in [CONTRACTS_DIR, *_extra_dirs]:
        for path in sorted(folder.glob("*.yaml")):
            try:
                doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise ContractError(f"{path}: not YAML: {exc}") from None
            cid, version = doc.get("id"), str(doc.get("version"))
            if not cid:
                raise ContractError(f"{path}: contract has no id")
            if version in out.get(cid, {}):
                raise ContractError(f"{path}: {cid} {version} is also defined in {out[cid][version]}")
            out.setdefault(cid, {})[version] = path
    return out


@lru_cache(maxsize=256)
def _load_path(path: str) -> Contract:
    return Contract.from_file(path)


def ids() -> list[str]:
    """Ids of every checked-in contract."""
    return sorted(_index())


def versions(contract_id: str) -> list[str]:
    return sorted(_index().get(contract_id, {}), key=_version_key)


_generated: dict[str, Contract] = {}


def load(contract_id: str, version: str | None = None) -> Contract:
    """The contract ``contract_id`` at ``version`` (default: the highest). Cached.

    Raises :class:`ContractNotFound` naming the known ids.
    """
    found = _index().get(contract_id)
    if found:
        if version is None:
            version = max(found, key=_version_key)
        if version not in found:
            raise ContractNotFound(f"{contract_id} has no version {version} (known: {', '.join(versions(contract_id))})")
        return _load_path(str(found[version]))
    generated = _generated_claims(contract_id)
    if generated is not None and (version is None or generated.version == version):
        return generated
    known = ", ".join(ids()) or "none"
    raise ContractNotFound(f"no contract {contract_id!r}{f' version {version}' if version else ''} (known: {known})")


def _generated_claims(contract_id: str) -> Contract | None:
    parts = contract_id.split(".")
    if len(parts) != 4 or parts[0] != "insurer" or parts[2] != "claims":
        return None
    with _lock:
        if contract_id not in _generated:
            from contracts.claims import claims_contract

            try:
                _generated[contract_id] = claims_contract(parts[1])
            except (ValueError, LookupError, ImportError):  # no agreement, or a broken one
                return None
        return _generated[contract_id]


def load_file(path: str | Path) -> Contract:
    """A contract from a file outside the registry (``medshare contracts diff`` reads these)."""
    return Contract.from_file(path)


def resolve(ref: str) -> Contract:
    """A contract from an id, a topic, a lab table name, or a path to a YAML file."""
    p = Path(ref)
    if ref.endswith((".yaml", ".yml")) and p.is_file():
        return load_file(p)
    try:
        return load(ref)
    except ContractNotFound:
        pass
    for cid in ids():
        c = load(cid)
        if ref in (c.topic, c.table, c.schema.physicalName):
            return c
    return load(ref)  # raises ContractNotFound with the known ids


def for_table(table: str) -> Contract:
    """The contract describing lab table ``table`` (``lab_settlements``) or with that id."""
    for cid in ids():
        c = load(cid)
        if table in (c.table, c.id) or (c.table and table in {p.schema.physicalName for p in c.parts}):
            if not c.table:
                raise ContractError(f"contract {c.id} describes a topic, not a lab table")
            return c
    tables = sorted(t for t in (load(cid).table for cid in ids()) if t)
    raise ContractNotFound(f"no contract describes lab table {table!r} (known: {', '.join(tables) or 'none'})")


def validator(contract_id: str, version: str | None = None) -> RecordValidator:
    """The compiled record validator of a contract (compiled once per contract version)."""
    return load(contract_id, version).validator()


def add_directory(path: str | Path) -> None:
    """Also search ``path`` for contracts (tests, or a deployment's own contract folder)."""
    _extra_dirs.append(Path(path))
    clear_cache()


def clear_cache() -> None:
    """Forget loaded contracts (after files changed on disk)."""
    _index.cache_clear()
    _load_path.cache_clear()
    with _lock:
        _generated.clear()
