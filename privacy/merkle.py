"""RFC 9162 (Certificate Transparency 2.0) Merkle trees: hashes, proofs, verification, tree heads.

Pure functions, no storage: the disclosure log (:mod:`privacy.audit`, :mod:`privacy.audit_tree`)
keeps the hashes of its perfect subtrees in a table and hands them in through a *node getter*
``get(level, index)`` returning the root of the perfect subtree over the leaves
``[index * 2**level, (index + 1) * 2**level)`` (level 0: the leaf hashes). Proofs then need
O(log n) stored nodes, whatever the size of the log.

The algorithms follow RFC 9162 §2.1 to the letter (the section numbers are in each docstring):

* leaf hash ``SHA-256(0x00 || entry)``, interior node ``SHA-256(0x01 || left || right)``, the empty
  tree ``SHA-256()`` (§2.1.1); a tree of n > 1 leaves splits at k, the largest power of two
  smaller than n;
* the inclusion proof ``PATH(m, D[n])`` (§2.1.3.1) and its verification (§2.1.3.2);
* the consistency proof ``PROOF(m, D[n])`` / ``SUBPROOF`` (§2.1.4.1) and its verification
  (§2.1.4.2);
* the tree head ``TreeHeadDataV2`` (§4.9), which a signed tree head signs (§4.10), in TLS
  presentation language (RFC 8446 §3): ``uint64 timestamp || uint64 tree_size ||
  opaque root_hash<32..2^8-1> || Extension sth_extensions<0..2^16-1>``, signed with Ed25519
  (RFC 8032).

No maintained Python library produces RFC 9162 audit paths from stored subtree hashes
(``pymerkle`` recomputes ranges from the leaves and emits its own proof format), so the short
algorithms are written out here and checked against an independent verifier
(tests/audit/rfc9162_verifier.py) and against the reference recursion of §2.1.1 on random trees.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

HASH_SIZE = 32
#: MTH({}) = SHA-256() (RFC 9162 §2.1.1)
EMPTY_ROOT = hashlib.sha256(b"").digest()

#: ``get(level, index)`` -> the hash of a perfect subtree (see the module docstring)
NodeGetter = Callable[[int, int], bytes]


class ProofError(ValueError):
    """A proof or tree head that cannot be asked for or that does not verify; the message says why."""


def leaf_hash(entry: bytes) -> bytes:
    """``SHA-256(0x00 || entry)`` (RFC 9162 §2.1.1)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)`` (RFC 9162 §2.1.1)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """k, the largest power of two smaller than n (n > 1): ``k < n <= 2k``."""
    return 1 << ((n - 1).bit_length() - 1)


def mth(entries: Sequence[bytes]) -> bytes:
    """MTH(D[n]) by the definition's recursion over the entries themselves (reference; O(n))."""
    if not entries:
        return EMPTY_ROOT
    if len(entries) == 1:
        return leaf_hash(entries[0])
    k = split_point(len(entries))
    return node_hash(mth(entries[:k]), mth(entries[k:]))


def is_perfect(start: int, end: int) -> bool:
    """[start, end) is one stored node: a power-of-two number of leaves, aligned to it."""
    n = end - start
    return n > 0 and n & (n - 1) == 0 and start % n == 0


def subtree_root(start: int, end: int, get: NodeGetter) -> bytes:
    """MTH(D[start:end]) from stored perfect subtrees: O(log n) nodes.

    Every range the RFC's recursion produces is either a perfect aligned subtree (one stored node)
    or splits at k into a perfect left half and a smaller right part, so this needs at most one
    stored node per level.
    """
    n = end - start
    if n <= 0:
        if n == 0 and start == 0:
            return EMPTY_ROOT
        raise ProofError(f"empty or negative range [{start}, {end})")
    if is_perfect(start, end):
        level = n.bit_length() - 1
        return get(level, start >> level)
    k = split_point(n)
    return node_hash(subtree_root(start, start + k, get), subtree_root(start + k, end, get))


def inclusion_path(m: int, n: int, get: NodeGetter) -> list[bytes]:
    """PATH(m, D[n]) (RFC 9162 §2.1.3.1): the audit path of leaf m, leaf level first.

    PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) if m < k, else PATH(m - k, D[k:n]) : MTH(D[0:k]);
    PATH(0, {d0}) = {}. Walked from the root down, then reversed.
    """
    if not 0 <= m < n:
        raise ProofError(f"leaf index {m} is not in a tree of size {n}")
    top_down: list[bytes] = []
    start, end = 0, n
    while end - start > 1:
        k = split_point(end - start)
        if m < start + k:
            top_down.append(subtree_root(start + k, end, get))
            end = start + k
        else:
            top_down.append(subtree_root(start, start + k, get))
            start += k
    return top_down[::-1]


def consistency_path(m: int, n: int, get: NodeGetter) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 9162 §2.1.4.1), for 0 < m <= n.

    SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}; for m < n:
    SUBPROOF(m, D[0:k], b) : MTH(D[k:n]) if m <= k, else SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]).
    """
    if not 0 < m <= n:
        raise ProofError(f"no consistency proof from size {m} to size {n}: RFC 9162 defines it for 0 < first <= second")
    top_down: list[bytes] = []
    start, end, b = 0, n, True
    while True:
        size = end - start
        if m == size:
            if not b:
                top_down.append(subtree_root(start, end, get))
            break
        k = split_point(size)
        if m <= k:
            top_down.append(subtree_root(start + k, end, get))
            end = start + k
        else:
            top_down.append(subtree_root(start, start + k, get))
            m -= k
            start += k
            b = False
    return top_down[::-1]


def nodes_needed(fn: Callable[[NodeGetter], Any]) -> set[tuple[int, int]]:
    """The (level, index) pairs ``fn(get)`` reads: lets a store fetch them all in one query."""
    wanted: set[tuple[int, int]] = set()

    def record(level: int, index: int) -> bytes:
        wanted.add((level, index))
        return bytes(HASH_SIZE)

    fn(record)
    return wanted


# --- verification (what a third party runs) -------------------------------------------------------


def _lsb(x: int) -> int:
    return x & 1


def _check_hashes(*groups: Iterable[bytes]) -> None:
    for group in groups:
        for h in group:
            if not isinstance(h, bytes | bytearray) or len(h) != HASH_SIZE:
                raise ProofError(f"every hash must be {HASH_SIZE} bytes (RFC 9162 §4.9 NodeHash with SHA-256)")


def root_from_inclusion(leaf_index: int, tree_size: int, leaf: bytes, path: Sequence[bytes]) -> bytes:
    """The root an inclusion proof leads to (RFC 9162 §2.1.3.2, steps 1-5 without the comparison)."""
    if leaf_index >= tree_size or leaf_index < 0:
        raise ProofError(f"leaf index {leaf_index} is not below tree size {tree_size}")
    _check_hashes([leaf], path)
    fn, sn, r = leaf_index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            raise ProofError("the audit path is longer than the tree is deep")
        if _lsb(fn) or fn == sn:
            r = node_hash(p, r)
            if not _lsb(fn):
                while not _lsb(fn) and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the audit path is shorter than the tree is deep")
    return r


def verify_inclusion(leaf_index: int, tree_size: int, leaf: bytes, path: Sequence[bytes], root: bytes) -> None:
    """RFC 9162 §2.1.3.2; raises :class:`ProofError` unless ``leaf`` is at ``leaf_index`` under ``root``."""
    if root_from_inclusion(leaf_index, tree_size, leaf, path) != root:
        raise ProofError(f"the audit path of leaf {leaf_index} does not lead to the root of tree size {tree_size}")


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       path: Sequence[bytes]) -> None:
    """RFC 9162 §2.1.4.2; raises :class:`ProofError` unless tree ``first`` is a prefix of tree ``second``.

    ``first == second`` with an empty path and equal roots is accepted (the trees are the same);
    the RFC's algorithm, which starts by refusing an empty path, covers first < second.
    """
    if not 0 < first <= second:
        raise ProofError(f"no consistency between sizes {first} and {second}")
    _check_hashes([first_root, second_root], path)
    if first == second:
        if path or first_root != second_root:
            raise ProofError("a tree is consistent with itself only by an empty proof and equal roots")
        return
    if not path:
        raise ProofError("the consistency path is empty")
    nodes = list(path)
    if first & (first - 1) == 0:  # an exact power of two: first_hash is the first value
        nodes.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while _lsb(fn):
        fn >>= 1
        sn >>= 1
    fr = sr = nodes[0]
    for c in nodes[1:]:
        if sn == 0:
            raise ProofError("the consistency path is longer than the tree is deep")
        if _lsb(fn) or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not _lsb(fn):
                while not _lsb(fn) and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if fr != first_root or sr != second_root or sn != 0:
        raise ProofError(f"the consistency path does not join the roots of sizes {first} and {second}")


# --- building -------------------------------------------------------------------------------------


def frontier_nodes(size: int) -> list[tuple[int, int]]:
    """(level, index) of the perfect subtrees a tree of ``size`` leaves decomposes into, left to right."""
    out, start = [], 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            out.append((level, start >> level))
            start += 1 << level
    return out


@dataclass
class TreeBuilder:
    """Append leaf hashes one by one, O(log n) memory (the stack of RFC 9162 §2.1.2).

    ``frontier`` holds the perfect subtrees of the tree so far, left to right, as (level, hash);
    :meth:`append` returns every node the new leaf completes (itself included) as
    (level, index, hash), which is exactly what a store keeps.
    """

    size: int = 0
    frontier: list[tuple[int, bytes]] = field(default_factory=list)

    @classmethod
    def resume(cls, size: int, get: NodeGetter) -> TreeBuilder:
        """Continue a stored tree of ``size`` leaves (reads its O(log n) frontier nodes)."""
        return cls(size, [(level, get(level, index)) for level, index in frontier_nodes(size)])

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        index = self.size
        made = [(0, index, leaf)]
        level, h = 0, leaf
        while index & 1:  # a right child: merge with the left sibling on the stack
            _, left = self.frontier.pop()
            level, index, h = level + 1, index >> 1, node_hash(left, h)
            made.append((level, index, h))
        self.frontier.append((level, h))
        self.size += 1
        return made

    def root(self) -> bytes:
        """MTH of the leaves so far: the frontier folded from the right (RFC 9162 §2.1.2)."""
        if not self.frontier:
            return EMPTY_ROOT
        r = self.frontier[-1][1]
        for _, h in reversed(self.frontier[:-1]):
            r = node_hash(h, r)
        return r


def root_of(leaves: Iterable[bytes]) -> bytes:
    """MTH of a stream of leaf hashes in O(log n) memory."""
    b = TreeBuilder()
    for leaf in leaves:
        b.append(leaf)
    return b.root()


# --- signed tree heads (RFC 9162 §4.9 TreeHeadDataV2, §4.10 STH) --------------------------------


def tree_head_data(timestamp: int, tree_size: int, root_hash: bytes) -> bytes:
    """TreeHeadDataV2 serialised: the bytes a tree head's signature covers.

    ``uint64 timestamp`` (ms since the epoch) ``|| uint64 tree_size`` (big-endian) ``||``
    ``opaque root_hash<32..2^8-1>`` (a one-byte length, 0x20, then the 32 bytes) ``||``
    ``Extension sth_extensions<0..2^16-1>`` (a two-byte length: no extensions, so 0x0000).
    """
    if len(root_hash) != HASH_SIZE:
        raise ProofError(f"root hash must be {HASH_SIZE} bytes, got {len(root_hash)}")
    if not 0 <= timestamp < 2**64 or not 0 <= tree_size < 2**64:
        raise ProofError("timestamp and tree_size must fit in uint64")
    return struct.pack(">QQB", timestamp, tree_size, HASH_SIZE) + root_hash + b"\x00\x00"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: Any, name: str) -> bytes:
    if not isinstance(value, str):
        raise ProofError(f"tree head field {name} must be a base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        raise ProofError(f"tree head field {name} is not valid base64") from None


def _unhex(value: Any, name: str) -> bytes:
    if not isinstance(value, str) or len(value) != 2 * HASH_SIZE:
        raise ProofError(f"tree head field {name} must be {2 * HASH_SIZE} hex digits")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise ProofError(f"tree head field {name} is not hex") from None


def _uint64(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**64:
        raise ProofError(f"tree head field {name} must be an integer in [0, 2^64)")
    return value


#: the fields of a tree head's JSON, in the order printed
TREE_HEAD_FIELDS = ("tree_size", "root_hash", "timestamp", "signature", "public_key", "signed_bytes")


@dataclass(frozen=True)
class TreeHead:
    """A signed tree head: TreeHeadDataV2 (RFC 9162 §4.9) and its Ed25519 signature (§4.10).

    ``source`` says where it was read (``store``, ``topic``, …); it is not part of the JSON.
    """

    tree_size: int
    root_hash: bytes
    timestamp: int
    signature: bytes
    public_key: bytes
    source: str = field(default="store", compare=False)

    @property
    def signed_bytes(self) -> bytes:
        return tree_head_data(self.timestamp, self.tree_size, self.root_hash)

    @classmethod
    def sign(cls, private_key: Any, tree_size: int, root_hash: bytes, timestamp: int) -> TreeHead:
        """Sign TreeHeadDataV2 with an ``Ed25519PrivateKey``."""
        from cryptography.hazmat.primitives import serialization

        data = tree_head_data(timestamp, tree_size, root_hash)
        raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return cls(tree_size, root_hash, timestamp, private_key.sign(data), raw)

    def as_json(self) -> dict[str, Any]:
        return {"tree_size": self.tree_size, "root_hash": self.root_hash.hex(), "timestamp": self.timestamp,
                "signature": _b64(self.signature), "public_key": _b64(self.public_key),
                "signed_bytes": _b64(self.signed_bytes)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], source: str = "json") -> TreeHead:
        """Parse the JSON of :meth:`as_json`; :class:`ProofError` names the field that is wrong.

        ``signed_bytes`` is optional; when present it must equal the TreeHeadDataV2 of the other
        fields (a tree head whose fields and signed bytes disagree is refused, not trusted either way).
        """
        if not isinstance(data, Mapping):
            raise ProofError("a tree head must be a JSON object")
        for name in TREE_HEAD_FIELDS[:5]:
            if name not in data:
                raise ProofError(f"tree head lacks field {name}")
        th = cls(_uint64(data["tree_size"], "tree_size"), _unhex(data["root_hash"], "root_hash"),
                 _uint64(data["timestamp"], "timestamp"), _unb64(data["signature"], "signature"),
                 _unb64(data["public_key"], "public_key"), source)
        if "signed_bytes" in data and _unb64(data["signed_bytes"], "signed_bytes") != th.signed_bytes:
            raise ProofError("tree head field signed_bytes is not the TreeHeadDataV2 of its other fields")
        return th

    def verify(self, public_key: bytes | None = None) -> None:
        """Check the signature (with ``public_key`` when given, which must then be the head's own)."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        if public_key is not None and public_key != self.public_key:
            raise ProofError("signed by another key than the log's")
        if len(self.public_key) != 32 or len(self.signature) != 64:
            raise ProofError("not an Ed25519 key (32 bytes) and signature (64 bytes)")
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(self.signature, self.signed_bytes)
        except (InvalidSignature, ValueError):
            raise ProofError("its signature does not verify") from None

    def describe(self) -> str:
        from datetime import UTC, datetime

        when = datetime.fromtimestamp(self.timestamp / 1000, UTC).isoformat(timespec="seconds")
        return f"tree head of size {self.tree_size} signed {when} ({self.source})"
