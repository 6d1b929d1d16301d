"""An independent verifier for the disclosure log's Merkle proofs, written from RFC 9162 alone.

It checks what ``medshare audit sth|prove|consistency --json`` print without importing anything
from medshare: only the standard library and ``cryptography`` (for Ed25519). The algorithms are
the RFC's own, step by step, not a rebuilt tree:

* RFC 9162 §2.1.1 (Merkle Tree Hash): ``leaf_hash(d) = SHA-256(0x00 || d)``,
  ``node_hash(l, r) = SHA-256(0x01 || l || r)``, ``MTH({}) = SHA-256()`` (``EMPTY_ROOT``).
* §2.1.2 (verifying a tree head given entries): ``root_from_entries`` (the stack algorithm).
* §2.1.3.2 (verifying an inclusion proof): ``inclusion_verdict``.
* §2.1.4.2 (verifying consistency between two tree heads): ``consistency_verdict``.
* §4.9/§4.10 (TreeHeadDataV2, the bytes an STH signs): ``encode_tree_head_data_v2``.

Text used: draft-ietf-trans-rfc6962-bis-42 (google/certificate-transparency-rfcs), the draft
published as RFC 9162 (https://www.rfc-editor.org/rfc/rfc9162); section numbers are the RFC's.

Decisions where the RFC's verification algorithms say nothing (documented, tested):

* Hashes are SHA-256, so every hash (root, path element, leaf hash) must be exactly 32 bytes
  (§4.9: "The length of NodeHash MUST match HASH_SIZE").
* Inclusion: ``leaf_index >= tree_size`` fails (§2.1.3.2 step 1), so a tree of size 0 has no
  inclusion proofs.
* Consistency, ``first == second``: valid iff the proof is empty and the two roots are equal
  (§2.1.4.1 gives ``SUBPROOF(m, D_m, true) = {}``; the §2.1.4.2 algorithm itself needs
  ``0 < first < second``).
* Consistency, ``first == 0``: always invalid. §2.1.4.1 defines PROOF only for ``0 < m`` and
  §2.1.4.2 only for ``0 < first``; every tree extends the empty tree, so such a "proof" would
  prove nothing about ``second_root``. (transparency-dev/merkle's published vectors agree.)
* Consistency, ``first > second``: invalid.
* Sizes and indexes are uint64 (§4.9/§4.11/§4.12); paths longer than 64 (inclusion) or 65
  (consistency) hashes are refused before hashing.
* An inclusion or consistency proof is checked against the root it carries. That root means
  something only when it is tied to a signed tree head: pass ``sth=`` (``--sth``) so the proof's
  tree size and root must equal a verified STH's. Without it, a proof for size n also "verifies"
  with another size n' whose path has the same shape (a property of the RFC algorithm, tested).

JSON accepted (extra fields are ignored; two aliases of one field must agree):

* inclusion: ``leaf_index`` int, ``tree_size`` int, ``leaf_input`` base64 (the exact bytes hashed
  as the leaf; or ``leaf_hash`` hex instead, or both if they agree), ``audit_path`` list of hex
  (alias ``inclusion_path``; leaf level first, as RFC 9162 orders it), ``root_hash`` hex.
* consistency: ``first``/``tree_size_1`` int, ``second``/``tree_size_2`` int,
  ``first_root``/``first_hash`` hex, ``second_root``/``second_hash`` hex, ``proof``/
  ``consistency_path`` list of hex.
* sth: ``tree_size`` int, ``root_hash`` hex, ``timestamp`` int (milliseconds since the Unix epoch)
  or ISO 8601 string with a UTC offset (must be a whole number of milliseconds), ``signature``
  hex (128 digits) or base64 of the 64-byte Ed25519 signature, ``public_key`` (PEM, 64 hex digits
  of the raw key, base64 of the raw key or of its DER SubjectPublicKeyInfo; or an object with one
  of ``pem``/``hex``/``base64``), optional ``signed_bytes`` base64.

Signed bytes (the default layout, RFC 9162 §4.9 TreeHeadDataV2 in TLS presentation language,
big-endian, 51 bytes with no extensions)::

    offset  size  field
    0       8     timestamp      uint64, milliseconds since 1970-01-01T00:00:00Z
    8       8     tree_size      uint64
    16      1     root_hash length = 0x20 (NodeHash is opaque<32..2^8-1>)
    17      32    root_hash
    49      2     sth_extensions length in bytes = 0x0000 (Extension sth_extensions<0..2^16-1>)

If ``signed_bytes`` is present the signature is checked over those bytes and they must decode
(``decode_tree_head_data_v2``: well-formed extensions are allowed, in ascending type order, each
``uint16 type, opaque data<0..2^16-1>``; no trailing bytes) to exactly the JSON's timestamp,
tree_size and root_hash; if absent, the bytes are rebuilt from those three fields with no
extensions. Another layout can be passed as ``layout=TreeHeadLayout(name, encode, decode)``.

Usage: ``python tests/audit/rfc9162_verifier.py inclusion|consistency|sth FILE.json`` (``-`` reads
stdin) with ``--sth STH.json`` / ``--first-sth`` / ``--second-sth`` / ``--public-key KEY|FILE``;
prints one line and exits 0 when valid, 1 when not.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime as dt
import hashlib
import json
import re
import struct
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = HASH(), RFC 9162 §2.1.1
UINT64_MAX = 2**64 - 1
MAX_INCLUSION_PATH = 64  # a tree of at most 2^64 leaves is at most 64 levels deep
MAX_CONSISTENCY_PATH = 65  # ceil(log2(n)) + 1, §2.1.4.1
ED25519_SIGNATURE_SIZE = 64

_HEX_HASH = re.compile(r"[0-9a-fA-F]{64}")
_HEX_SIG = re.compile(r"[0-9a-fA-F]{128}")


@dataclass(frozen=True)
class Verdict:
    """A verification result: truthy when valid, with one line saying why (or why not)."""

    ok: bool
    reason: str

    def __bool__(self) -> bool:
        return self.ok


class Malformed(ValueError):
    """The input does not have the shape this verifier accepts; the message names the field."""


# --- RFC 9162 §2.1.1: the hashes -------------------------------------------------------------


def leaf_hash(entry: bytes) -> bytes:
    """HASH(0x00 || entry): the hash of a one-entry list, i.e. of a leaf."""
    return hashlib.sha256(b"\x00" + bytes(entry)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """HASH(0x01 || left || right): an interior node; the prefix keeps it apart from leaves."""
    return hashlib.sha256(b"\x01" + bytes(left) + bytes(right)).digest()


def root_from_entries(entries: Iterable[bytes]) -> bytes:
    """The Merkle Tree Hash of ``entries`` by the stack algorithm of RFC 9162 §2.1.2."""
    stack: list[bytes] = []
    for i, entry in enumerate(entries):
        stack.append(leaf_hash(entry))
        merge_count = 0  # the number of consecutive 1 bits at the low end of i
        while (i >> merge_count) & 1:
            merge_count += 1
        for _ in range(merge_count):
            right, left = stack.pop(), stack.pop()
            stack.append(node_hash(left, right))
    if not stack:
        return EMPTY_ROOT
    while len(stack) > 1:
        right, left = stack.pop(), stack.pop()
        stack.append(node_hash(left, right))
    return stack[0]


# --- RFC 9162 §2.1.3.2 and §2.1.4.2 on raw values ----------------------------------------------


def _lsb(x: int) -> bool:
    return bool(x & 1)


def _check_uint64(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Malformed(f"{name} must be an integer, got {type(value).__name__}")
    if not 0 <= value <= UINT64_MAX:
        raise Malformed(f"{name} must be a uint64 (0 <= {name} < 2^64), got {value}")
    return value


def _check_hash(value: object, name: str) -> bytes:
    if not isinstance(value, bytes | bytearray):
        raise Malformed(f"{name} must be bytes, got {type(value).__name__}")
    if len(value) != HASH_SIZE:
        raise Malformed(f"{name} must be {HASH_SIZE} bytes (SHA-256), got {len(value)}")
    return bytes(value)


def _check_path(path: object, name: str, limit: int) -> list[bytes]:
    if not isinstance(path, list | tuple):
        raise Malformed(f"{name} must be a list, got {type(path).__name__}")
    if len(path) > limit:
        raise Malformed(f"{name} has {len(path)} elements; no tree of < 2^64 leaves needs more than {limit}")
    return [_check_hash(p, f"{name}[{i}]") for i, p in enumerate(path)]


def inclusion_verdict(
    leaf_index: int, tree_size: int, leaf_hash_: bytes, inclusion_path: Sequence[bytes], root_hash: bytes
) -> Verdict:
    """RFC 9162 §2.1.3.2, step by step, on raw values (hashes as bytes)."""
    try:
        leaf_index = _check_uint64(leaf_index, "leaf_index")
        tree_size = _check_uint64(tree_size, "tree_size")
        r = _check_hash(leaf_hash_, "leaf hash")
        path = _check_path(inclusion_path, "inclusion path", MAX_INCLUSION_PATH)
        root_hash = _check_hash(root_hash, "root_hash")
    except Malformed as exc:
        return Verdict(False, str(exc))
    # 1. leaf_index >= tree_size fails
    if leaf_index >= tree_size:
        return Verdict(False, f"leaf_index {leaf_index} is not below tree_size {tree_size}")
    # 2. fn = leaf_index, sn = tree_size - 1; 3. r = hash (done above)
    fn, sn = leaf_index, tree_size - 1
    # 4. for each p in inclusion_path
    for p in path:
        if sn == 0:  # a. the path is longer than this leaf's depth
            return Verdict(
                False,
                f"inclusion path has more than the {_depth(leaf_index, tree_size)} "
                f"hashes leaf {leaf_index} of a tree of {tree_size} needs",
            )
        if _lsb(fn) or fn == sn:  # b. p is a left sibling
            r = node_hash(p, r)
            if not _lsb(fn):
                while not _lsb(fn) and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:  # c. p is a right sibling
            r = node_hash(r, p)
        fn >>= 1  # d.
        sn >>= 1
    # 5. sn must be 0 and r must equal root_hash
    if sn != 0:
        return Verdict(
            False,
            f"inclusion path has {len(path)} hashes; leaf {leaf_index} of a tree of "
            f"{tree_size} needs {_depth(leaf_index, tree_size)}",
        )
    if r != root_hash:
        return Verdict(False, f"inclusion path leads to root {r.hex()}, not the root_hash {root_hash.hex()}")
    return Verdict(True, f"leaf {leaf_index} is included in the tree of size {tree_size} with root {r.hex()}")


def _depth(leaf_index: int, tree_size: int) -> int:
    """How many hashes the inclusion path of ``leaf_index`` has (for messages only)."""
    fn, sn, count = leaf_index, tree_size - 1, 0
    while sn:
        if _lsb(fn) or fn == sn:
            while not _lsb(fn) and fn != 0:
                fn >>= 1
                sn >>= 1
        count += 1
        fn >>= 1
        sn >>= 1
    return count


def consistency_verdict(
    first: int, second: int, first_hash: bytes, second_hash: bytes, consistency_path: Sequence[bytes]
) -> Verdict:
    """RFC 9162 §2.1.4.2, step by step, plus the documented cases first == second and first == 0."""
    try:
        first = _check_uint64(first, "first")
        second = _check_uint64(second, "second")
        first_hash = _check_hash(first_hash, "first_root")
        second_hash = _check_hash(second_hash, "second_root")
        path = _check_path(consistency_path, "consistency path", MAX_CONSISTENCY_PATH)
    except Malformed as exc:
        return Verdict(False, str(exc))
    outside = _outside_rfc_algorithm(first, second, first_hash, second_hash, path)
    if outside is not None:
        return outside
    # 1. an empty path fails
    if not path:
        return Verdict(False, f"the consistency proof from {first} to {second} is empty")
    # 2. if first is an exact power of 2, prepend first_hash
    if first & (first - 1) == 0:
        path = [first_hash, *path]
    # 3. fn = first - 1, sn = second - 1
    fn, sn = first - 1, second - 1
    # 4. shift both while LSB(fn) is set
    while _lsb(fn):
        fn >>= 1
        sn >>= 1
    # 5. fr = sr = the first value
    fr = sr = path[0]
    # 6. for each subsequent c
    for c in path[1:]:
        if sn == 0:  # a.
            return Verdict(False, f"the consistency proof from {first} to {second} has too many hashes")
        if _lsb(fn) or fn == sn:  # b.
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not _lsb(fn):
                while not _lsb(fn) and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:  # c.
            sr = node_hash(sr, c)
        fn >>= 1  # d.
        sn >>= 1
    # 7. fr == first_hash, sr == second_hash, sn == 0
    if sn != 0:
        return Verdict(False, f"the consistency proof from {first} to {second} has too few hashes")
    if fr != first_hash:
        return Verdict(False, f"the proof leads to first root {fr.hex()}, not {first_hash.hex()}")
    if sr != second_hash:
        return Verdict(False, f"the proof leads to second root {sr.hex()}, not {second_hash.hex()}")
    return Verdict(
        True,
        f"the tree of size {second} (root {second_hash.hex()}) extends the tree of "
        f"size {first} (root {first_hash.hex()})",
    )


def _outside_rfc_algorithm(
    first: int, second: int, first_hash: bytes, second_hash: bytes, path: list[bytes]
) -> Verdict | None:
    """The verdict for sizes §2.1.4.2 does not cover (it needs 0 < first < second), else None."""
    if first > second:
        return Verdict(False, f"first ({first}) is larger than second ({second}): a log only grows")
    if first == 0:
        return Verdict(
            False,
            "first is 0: RFC 9162 defines consistency proofs only for 0 < first "
            "(every tree extends the empty one; such a proof proves nothing)",
        )
    if first == second:
        if path:
            return Verdict(
                False, f"first == second == {first} but the proof is not empty ({len(path)} hashes)"
            )
        if first_hash != second_hash:
            return Verdict(False, f"first == second == {first} but the roots differ")
        return Verdict(True, f"the tree of size {first} is consistent with itself")
    return None


# --- decoding the CLI's JSON ------------------------------------------------------------------


def _field(obj: dict[str, Any], *names: str, required: bool = True) -> Any:
    """The value of the first of ``names`` present; aliases present together must agree."""
    present = [n for n in names if n in obj]
    if not present:
        if required:
            raise Malformed(f"missing field {' / '.join(repr(n) for n in names)}")
        return None
    values = [obj[n] for n in present]
    if any(v != values[0] for v in values[1:]):
        raise Malformed(f"fields {' and '.join(repr(n) for n in present)} are aliases but differ")
    return values[0]


def _hex_hash(value: object, name: str) -> bytes:
    if not isinstance(value, str) or not _HEX_HASH.fullmatch(value):
        raise Malformed(f"{name} must be 64 hex digits (a SHA-256 hash), got {_show(value)}")
    return bytes.fromhex(value)


def _hex_list(value: object, name: str, limit: int) -> list[bytes]:
    if not isinstance(value, list):
        raise Malformed(f"{name} must be a JSON list of hex strings, got {type(value).__name__}")
    if len(value) > limit:
        raise Malformed(f"{name} has {len(value)} elements; no tree of < 2^64 leaves needs more than {limit}")
    return [_hex_hash(v, f"{name}[{i}]") for i, v in enumerate(value)]


def _b64(value: object, name: str) -> bytes:
    """Standard or URL-safe base64; padding may be omitted; nothing outside the alphabet."""
    if not isinstance(value, str):
        raise Malformed(f"{name} must be a base64 string, got {type(value).__name__}")
    text = value.strip()
    padded = text + "=" * (-len(text) % 4)
    for altchars in (None, b"-_"):
        try:
            return base64.b64decode(padded, altchars=altchars, validate=True)
        except (binascii.Error, ValueError):
            continue
    raise Malformed(f"{name} is not valid base64: {_show(value)}")


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _need_dict(obj: object, what: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise Malformed(f"the {what} must be a JSON object, got {type(obj).__name__}")
    return obj


def _guarded(fn: Callable[[], Verdict]) -> Verdict:
    """Run a check; any malformed input (or anything unforeseen) is a failed check, never a raise."""
    try:
        return fn()
    except Malformed as exc:
        return Verdict(False, str(exc))
    except Exception as exc:  # fail closed: a verifier that cannot decide says "not valid"
        return Verdict(False, f"malformed input ({type(exc).__name__}: {exc})")


def check_inclusion(proof_json: object, sth: object = None, public_key: object = None) -> Verdict:
    """Verify ``medshare audit prove --json`` output; with ``sth``, tie it to that verified STH."""

    def run() -> Verdict:
        obj = _need_dict(proof_json, "inclusion proof")
        leaf_index = _check_uint64(_field(obj, "leaf_index"), "leaf_index")
        tree_size = _check_uint64(_field(obj, "tree_size"), "tree_size")
        root = _hex_hash(_field(obj, "root_hash"), "root_hash")
        path = _hex_list(_field(obj, "audit_path", "inclusion_path"), "audit_path", MAX_INCLUSION_PATH)
        raw = _field(obj, "leaf_input", required=False)
        given_hash = _field(obj, "leaf_hash", required=False)
        if raw is None and given_hash is None:
            raise Malformed("missing field 'leaf_input' (base64 of the bytes hashed as the leaf)")
        lh = leaf_hash(_b64(raw, "leaf_input")) if raw is not None else _hex_hash(given_hash, "leaf_hash")
        if raw is not None and given_hash is not None and _hex_hash(given_hash, "leaf_hash") != lh:
            return Verdict(False, "leaf_hash is not SHA-256(0x00 || leaf_input)")
        verdict = inclusion_verdict(leaf_index, tree_size, lh, path, root)
        if not verdict or sth is None:
            return verdict
        return _against_sth(verdict, tree_size, root, sth, public_key, "the proof")

    return _guarded(run)


def check_consistency(
    proof_json: object, first_sth: object = None, second_sth: object = None, public_key: object = None
) -> Verdict:
    """Verify ``medshare audit consistency --json`` output; optionally tie both ends to verified STHs."""

    def run() -> Verdict:
        obj = _need_dict(proof_json, "consistency proof")
        first = _check_uint64(_field(obj, "first", "tree_size_1"), "first")
        second = _check_uint64(_field(obj, "second", "tree_size_2"), "second")
        first_root = _hex_hash(_field(obj, "first_root", "first_hash"), "first_root")
        second_root = _hex_hash(_field(obj, "second_root", "second_hash"), "second_root")
        path = _hex_list(_field(obj, "proof", "consistency_path"), "proof", MAX_CONSISTENCY_PATH)
        verdict = consistency_verdict(first, second, first_root, second_root, path)
        if verdict and first_sth is not None:
            verdict = _against_sth(verdict, first, first_root, first_sth, public_key, "the first tree")
        if verdict and second_sth is not None:
            verdict = _against_sth(verdict, second, second_root, second_sth, public_key, "the second tree")
        return verdict

    return _guarded(run)


def _against_sth(
    verdict: Verdict, size: int, root: bytes, sth: object, public_key: object, what: str
) -> Verdict:
    sth_verdict = check_sth(sth, public_key)
    if not sth_verdict:
        return Verdict(False, f"the STH is not valid: {sth_verdict.reason}")
    sth_obj = _need_dict(sth, "STH")
    if sth_obj["tree_size"] != size or _hex_hash(sth_obj["root_hash"], "root_hash") != root:
        return Verdict(
            False,
            f"{what} (size {size}, root {root.hex()}) is not the signed tree head "
            f"(size {sth_obj['tree_size']}, root {sth_obj['root_hash']})",
        )
    return Verdict(True, f"{verdict.reason}; it is the signed tree head ({sth_verdict.reason})")


# --- signed tree heads ------------------------------------------------------------------------


def encode_tree_head_data_v2(timestamp_ms: int, tree_size: int, root_hash: bytes) -> bytes:
    """TreeHeadDataV2 (RFC 9162 §4.9) with no extensions: the bytes an STH signs (§4.10)."""
    timestamp_ms = _check_uint64(timestamp_ms, "timestamp")
    tree_size = _check_uint64(tree_size, "tree_size")
    root_hash = _check_hash(root_hash, "root_hash")
    return struct.pack(">QQB", timestamp_ms, tree_size, len(root_hash)) + root_hash + struct.pack(">H", 0)


def decode_tree_head_data_v2(data: bytes) -> tuple[int, int, bytes]:
    """(timestamp_ms, tree_size, root_hash) from a TreeHeadDataV2; ``Malformed`` names the flaw."""
    if len(data) < 17:
        raise Malformed(f"signed_bytes is {len(data)} bytes; a TreeHeadDataV2 has at least 51")
    timestamp_ms, tree_size, hash_len = struct.unpack_from(">QQB", data, 0)
    if hash_len != HASH_SIZE:
        raise Malformed(f"signed_bytes: root_hash length byte is {hash_len}, must be {HASH_SIZE}")
    pos = 17 + hash_len
    root = data[17:pos]
    if len(data) < pos + 2:
        raise Malformed("signed_bytes ends before the sth_extensions length")
    (ext_len,) = struct.unpack_from(">H", data, pos)
    pos += 2
    if len(data) != pos + ext_len:
        raise Malformed(f"signed_bytes: sth_extensions claims {ext_len} bytes, {len(data) - pos} follow")
    _check_extensions(data[pos:])
    return timestamp_ms, tree_size, root


def _check_extensions(ext: bytes) -> None:
    pos, last_type = 0, -1
    while pos < len(ext):
        if len(ext) - pos < 4:
            raise Malformed("signed_bytes: truncated extension header")
        ext_type, data_len = struct.unpack_from(">HH", ext, pos)
        if ext_type <= last_type:
            raise Malformed("signed_bytes: extensions repeated or not in ascending type order (§4.9)")
        pos += 4 + data_len
        if pos > len(ext):
            raise Malformed("signed_bytes: truncated extension data")
        last_type = ext_type


@dataclass(frozen=True)
class TreeHeadLayout:
    """How an STH's signed bytes are built from (timestamp_ms, tree_size, root_hash), and read back."""

    name: str
    encode: Callable[[int, int, bytes], bytes]
    decode: Callable[[bytes], tuple[int, int, bytes]]


TREE_HEAD_DATA_V2 = TreeHeadLayout(
    "RFC 9162 TreeHeadDataV2", encode_tree_head_data_v2, decode_tree_head_data_v2
)


def timestamp_ms(value: object) -> int:
    """Milliseconds since the epoch from an int, or from an ISO 8601 string with a UTC offset."""
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError as exc:
            raise Malformed(f"timestamp is not ISO 8601: {_show(value)}") from exc
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise Malformed(f"timestamp {value!r} has no UTC offset, so it names no single instant")
        delta = moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        ms, rest = divmod(delta, dt.timedelta(milliseconds=1))
        if rest:
            raise Malformed(f"timestamp {value!r} is finer than a millisecond; TreeHeadDataV2 carries ms")
        return _check_uint64(ms, "timestamp")
    return _check_uint64(value, "timestamp")


def load_public_key(value: object) -> Any:
    """An Ed25519 public key from PEM, raw 32 bytes (bytes, hex or base64), DER SPKI, or a key object."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if isinstance(value, Ed25519PublicKey):
        return value
    if isinstance(value, dict):
        for name in ("pem", "hex", "base64", "raw"):
            if name in value:
                return load_public_key(value[name])
        raise Malformed("public_key object needs one of 'pem', 'hex', 'base64'")
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("-----BEGIN"):
            value = text.encode()
        elif _HEX_HASH.fullmatch(text):
            value = bytes.fromhex(text)
        else:
            value = _b64(text, "public_key")
    if not isinstance(value, bytes | bytearray):
        raise Malformed(f"public_key must be PEM, hex or base64, got {type(value).__name__}")
    data = bytes(value)
    try:
        if data.startswith(b"-----BEGIN"):
            key = serialization.load_pem_public_key(data)
        elif len(data) == 32:
            key = Ed25519PublicKey.from_public_bytes(data)
        else:
            key = serialization.load_der_public_key(data)
    except (ValueError, TypeError) as exc:
        raise Malformed(f"public_key cannot be read: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise Malformed(f"public_key is a {type(key).__name__}, not an Ed25519 key")
    return key


def _signature(value: object) -> bytes:
    if isinstance(value, str) and _HEX_SIG.fullmatch(value.strip()):
        sig = bytes.fromhex(value.strip())
    else:
        sig = _b64(value, "signature")
    if len(sig) != ED25519_SIGNATURE_SIZE:
        raise Malformed(f"signature is {len(sig)} bytes; an Ed25519 signature is 64")
    return sig


def check_sth(
    sth_json: object, public_key: object = None, layout: TreeHeadLayout = TREE_HEAD_DATA_V2
) -> Verdict:
    """Verify ``medshare audit sth --json`` output: its Ed25519 signature over the tree head.

    ``public_key`` (pinned by the caller) wins over the STH's own ``public_key`` field; a key
    taken from the STH itself proves only that the STH is self-consistent, and the reason says so.
    """

    def run() -> Verdict:
        from cryptography.exceptions import InvalidSignature

        obj = _need_dict(sth_json, "STH")
        tree_size = _check_uint64(_field(obj, "tree_size"), "tree_size")
        root = _hex_hash(_field(obj, "root_hash"), "root_hash")
        ts = timestamp_ms(_field(obj, "timestamp"))
        sig = _signature(_field(obj, "signature"))
        if tree_size == 0 and root != EMPTY_ROOT:
            return Verdict(False, f"tree_size is 0 but root_hash is not SHA-256('') = {EMPTY_ROOT.hex()}")
        pinned = public_key is not None
        key_value = public_key if pinned else _field(obj, "public_key", required=False)
        if key_value is None:
            return Verdict(False, "no public key: pass one, or include 'public_key' in the STH")
        key = load_public_key(key_value)
        signed = _field(obj, "signed_bytes", required=False)
        if signed is None:
            message = layout.encode(ts, tree_size, root)
        else:
            message = _b64(signed, "signed_bytes")
            mismatch = _signed_mismatch(layout.decode(message), ts, tree_size, root)
            if mismatch:
                return Verdict(False, f"signed_bytes ({layout.name}) {mismatch}")
        try:
            key.verify(sig, message)
        except InvalidSignature:
            return Verdict(
                False, f"the Ed25519 signature does not verify over the {layout.name} bytes {message.hex()}"
            )
        whose = "the pinned key" if pinned else "the STH's own public_key (not pinned: self-consistency only)"
        return Verdict(
            True, f"STH for tree_size {tree_size}, root {root.hex()}, timestamp {ts} ms is signed by {whose}"
        )

    return _guarded(run)


def _signed_mismatch(decoded: tuple[int, int, bytes], ts: int, tree_size: int, root: bytes) -> str:
    got_ts, got_size, got_root = decoded
    if got_ts != ts:
        return f"encode timestamp {got_ts}, the STH says {ts}"
    if got_size != tree_size:
        return f"encode tree_size {got_size}, the STH says {tree_size}"
    if got_root != root:
        return f"encode root_hash {got_root.hex()}, the STH says {root.hex()}"
    return ""


def verify_inclusion(proof_json: dict[str, Any]) -> bool:
    """True iff the inclusion proof (``medshare audit prove --json``) is valid per RFC 9162."""
    return check_inclusion(proof_json).ok


def verify_consistency(proof_json: dict[str, Any]) -> bool:
    """True iff the consistency proof (``medshare audit consistency --json``) is valid per RFC 9162."""
    return check_consistency(proof_json).ok


def verify_sth(
    sth_json: dict[str, Any], public_key: object = None, layout: TreeHeadLayout = TREE_HEAD_DATA_V2
) -> bool:
    """True iff the STH's Ed25519 signature verifies over its tree head (see the module docstring)."""
    return check_sth(sth_json, public_key, layout).ok


def why_not(kind: str, document: object, **kwargs: Any) -> str | None:
    """None when ``document`` (of kind inclusion|consistency|sth) is valid, else the reason."""
    checks: dict[str, Callable[..., Verdict]] = {
        "inclusion": check_inclusion,
        "consistency": check_consistency,
        "sth": check_sth,
    }
    if kind not in checks:
        return f"unknown kind {kind!r}; use one of {sorted(checks)}"
    verdict = checks[kind](document, **kwargs)
    return None if verdict else verdict.reason


# --- command line -----------------------------------------------------------------------------


def _read_json(name: str) -> object:
    text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    return json.loads(text)


def _read_key(value: str | None) -> object:
    if value is None:
        return None
    path = Path(value)
    if len(value) < 4096 and path.is_file():
        data = path.read_bytes()
        if data.startswith(b"-----BEGIN") or len(data) == 32:
            return data
        try:
            return data.decode("ascii").strip()  # hex or base64 text
        except UnicodeDecodeError:
            return data  # DER
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """``inclusion|consistency|sth FILE.json``: one line, exit 0 when valid and 1 when not."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="example: rfc9162_verifier.py sth sth.json --public-key log.pub",
    )
    parser.add_argument("kind", choices=["inclusion", "consistency", "sth"])
    parser.add_argument("file", help="the JSON printed by `medshare audit ... --json` ('-' for stdin)")
    parser.add_argument("--public-key", help="pinned Ed25519 key: PEM/raw file, or hex/base64 text")
    parser.add_argument("--sth", help="inclusion: a signed tree head the proof must match")
    parser.add_argument("--first-sth", help="consistency: the signed tree head of the first tree")
    parser.add_argument("--second-sth", help="consistency: the signed tree head of the second tree")
    args = parser.parse_args(argv)
    try:
        document = _read_json(args.file)
        key = _read_key(args.public_key)
        if args.kind == "inclusion":
            sth = _read_json(args.sth) if args.sth else None
            verdict = check_inclusion(document, sth=sth, public_key=key)
        elif args.kind == "consistency":
            first = _read_json(args.first_sth) if args.first_sth else None
            second = _read_json(args.second_sth) if args.second_sth else None
            verdict = check_consistency(document, first_sth=first, second_sth=second, public_key=key)
        else:
            verdict = check_sth(document, public_key=key)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        verdict = Verdict(False, f"cannot read input: {exc}")
    print(("valid: " if verdict else "invalid: ") + verdict.reason)
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
