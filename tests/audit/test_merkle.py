"""privacy.merkle: RFC 9162 §2.1 trees and proofs, TreeHeadDataV2 (§4.9) and its Ed25519 signature (§4.10).

Checked three ways: published test vectors of the Certificate Transparency reference code
(transparency-dev/merkle, proof/verify_test.go: the roots of the 8-leaf reference tree and its
inclusion and consistency proofs), the RFC's recursive definitions written out here on every tree
up to 70 leaves, and corrupted proofs that must be refused.
"""

from __future__ import annotations

import base64
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from privacy import merkle as M

# transparency-dev/merkle proof/verify_test.go (github.com/transparency-dev/merkle): the leaves ...
LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                     "606162636465666768696a6b6c6d6e6f")]
# ... MTH of the first 1..8 of them ...
ROOTS = [bytes.fromhex(h) for h in (
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
)]
# ... inclusion proofs (leaf numbered from 1 there, from 0 here) ...
INCLUSION = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (0, 1, []),
]
# ... and consistency proofs
CONSISTENCY = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]


def build(entries: list[bytes]) -> tuple[M.TreeBuilder, M.NodeGetter]:
    """A tree over ``entries`` and a getter over every node it stored (what audit_tree keeps)."""
    b, nodes = M.TreeBuilder(), {}
    for e in entries:
        for level, idx, h in b.append(M.leaf_hash(e)):
            nodes[(level, idx)] = h
    return b, lambda level, idx: nodes[(level, idx)]


# the RFC's definitions, written out directly (§2.1.3.1 PATH, §2.1.4.1 SUBPROOF)
def PATH(m: int, d: list[bytes]) -> list[bytes]:  # noqa: N802 - the RFC's name
    if len(d) == 1:
        return []
    k = M.split_point(len(d))
    return PATH(m, d[:k]) + [M.mth(d[k:])] if m < k else PATH(m - k, d[k:]) + [M.mth(d[:k])]


def SUBPROOF(m: int, d: list[bytes], b: bool) -> list[bytes]:  # noqa: N802
    if m == len(d):
        return [] if b else [M.mth(d)]
    k = M.split_point(len(d))
    return SUBPROOF(m, d[:k], b) + [M.mth(d[k:])] if m <= k else SUBPROOF(m - k, d[k:], False) + [M.mth(d[:k])]


def test_roots_match_the_reference_vectors():
    assert M.mth([]) == M.EMPTY_ROOT == bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    for n in range(1, 9):
        b, get = build(LEAVES[:n])
        assert M.mth(LEAVES[:n]) == b.root() == M.subtree_root(0, n, get) == ROOTS[n - 1], n


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_proofs_match_the_reference_vectors(index, size, path):
    _, get = build(LEAVES[:size])
    proof = M.inclusion_path(index, size, get)
    assert [h.hex() for h in proof] == path
    M.verify_inclusion(index, size, M.leaf_hash(LEAVES[index]), proof, ROOTS[size - 1])


@pytest.mark.parametrize(("first", "second", "path"), CONSISTENCY)
def test_consistency_proofs_match_the_reference_vectors(first, second, path):
    _, get = build(LEAVES[:second])
    proof = M.consistency_path(first, second, get)
    assert [h.hex() for h in proof] == path
    M.verify_consistency(first, second, ROOTS[first - 1], ROOTS[second - 1], proof)


def test_every_tree_up_to_70_leaves_follows_the_rfc_definitions():
    for n in range(1, 71):
        entries = [f"entry {i}".encode() for i in range(n)]
        b, get = build(entries)
        root = M.mth(entries)
        assert b.root() == root and M.TreeBuilder.resume(n, get).root() == root
        for m in range(n):
            path = M.inclusion_path(m, n, get)
            assert path == PATH(m, entries), (m, n)
            M.verify_inclusion(m, n, M.leaf_hash(entries[m]), path, root)
        for m in range(1, n + 1):
            proof = M.consistency_path(m, n, get)
            assert proof == SUBPROOF(m, entries, True), (m, n)
            M.verify_consistency(m, n, M.mth(entries[:m]), root, proof)


def test_resumed_builder_continues_the_same_tree():
    entries = [bytes([i]) for i in range(37)]
    _, get = build(entries[:21])
    b = M.TreeBuilder.resume(21, get)
    for e in entries[21:]:
        b.append(M.leaf_hash(e))
    assert b.root() == M.mth(entries)


def _flip(h: bytes) -> bytes:
    return bytes([h[0] ^ 8]) + h[1:]


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION[:4])
def test_corrupted_inclusion_proofs_are_refused(index, size, path):
    """The probes of the reference code's verifierCheck: every one must fail."""
    proof = [bytes.fromhex(h) for h in path]
    leaf, root = M.leaf_hash(LEAVES[index]), ROOTS[size - 1]
    some = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")
    probes = [(index - 1, size, leaf, proof, root), (index + 1, size, leaf, proof, root),
              (index ^ 2, size, leaf, proof, root), (index, size * 2, leaf, proof, root),
              (index, size // 2, leaf, proof, root), (index, size, M.leaf_hash(b"WrongLeaf"), proof, root),
              (index, size, leaf, proof, M.EMPTY_ROOT), (index, size, leaf, proof, some),
              (index, size, leaf, [*proof, root], root), (index, size, leaf, [root, *proof], root),
              (index, size, leaf, [*proof, b""], root), (index, size, leaf, proof[:-1], root),
              (index, size, leaf, [proof[0], some, *proof[1:]], root)]
    probes += [(index, size, leaf, [*proof[:i], _flip(proof[i]), *proof[i + 1:]], root) for i in range(len(proof))]
    for i, (ix, sz, lf, pf, rt) in enumerate(probes):
        if ix < 0:
            continue
        with pytest.raises(M.ProofError):
            M.verify_inclusion(ix, sz, lf, pf, rt)
            pytest.fail(f"probe {i} verified")


@pytest.mark.parametrize(("first", "second", "path"), CONSISTENCY[1:])
def test_corrupted_consistency_proofs_are_refused(first, second, path):
    proof = [bytes.fromhex(h) for h in path]
    r1, r2 = ROOTS[first - 1], ROOTS[second - 1]
    probes = [(first - 1, second, r1, r2, proof), (first + 1, second, r1, r2, proof),
              (first ^ 2, second, r1, r2, proof), (first, second * 2, r1, r2, proof),
              (first, second // 2, r1, r2, proof), (first, second, M.leaf_hash(b"x"), r2, proof),
              (first, second, r1, M.leaf_hash(b"x"), proof), (first, second, r2, r1, proof),
              (first, second, r1, r2, []), (first, second, r1, r2, [*proof, r1]),
              (first, second, r1, r2, [*proof, r2]), (first, second, r1, r2, [r1, *proof]),
              (first, second, r1, r2, [r2, *proof]), (first, second, r1, r2, [proof[0], *proof]),
              (first, second, r1, r2, proof[:-1])]
    probes += [(first, second, r1, r2, [*proof[:i], _flip(proof[i]), *proof[i + 1:]]) for i in range(len(proof))]
    for i, (f, s, a, b, pf) in enumerate(probes):
        with pytest.raises(M.ProofError):
            M.verify_consistency(f, s, a, b, pf)
            pytest.fail(f"probe {i} verified")


def test_proofs_that_cannot_be_asked_for():
    _, get = build(LEAVES)
    for args in ((8, 8), (-1, 8), (0, 0)):
        with pytest.raises(M.ProofError, match="not in a tree"):
            M.inclusion_path(*args, get)
    for args in ((0, 8), (9, 8)):
        with pytest.raises(M.ProofError, match="0 < first <= second"):
            M.consistency_path(*args, get)


# --- TreeHeadDataV2 and its signature ------------------------------------------------------------


def test_tree_head_data_is_rfc9162_tree_head_data_v2():
    root = bytes(range(32))
    data = M.tree_head_data(1_700_000_000_123, 1000, root)
    assert len(data) == 8 + 8 + 1 + 32 + 2
    assert data[:8] == struct.pack(">Q", 1_700_000_000_123) == bytes.fromhex("0000018bcfe5687b")
    assert data[8:16] == bytes.fromhex("00000000000003e8")
    assert data[16] == 0x20 and data[17:49] == root
    assert data[49:] == b"\x00\x00", "no extensions: a two-byte zero length"
    with pytest.raises(M.ProofError):
        M.tree_head_data(0, 1, b"short")


def test_signed_tree_head_round_trip_and_tampering():
    key = Ed25519PrivateKey.generate()
    th = M.TreeHead.sign(key, 8, ROOTS[7], 1_796_000_000_000)
    j = th.as_json()
    assert list(j) == list(M.TREE_HEAD_FIELDS)
    assert base64.b64decode(j["signed_bytes"]) == M.tree_head_data(th.timestamp, 8, ROOTS[7])
    assert len(base64.b64decode(j["public_key"])) == 32 and len(base64.b64decode(j["signature"])) == 64
    again = M.TreeHead.from_json(j)
    again.verify()
    again.verify(th.public_key)
    for change in ({"tree_size": 9}, {"timestamp": th.timestamp + 1}, {"root_hash": ROOTS[6].hex()}):
        forged = M.TreeHead.from_json({k: v for k, v in {**j, **change}.items() if k != "signed_bytes"})
        with pytest.raises(M.ProofError, match="signature does not verify"):
            forged.verify()
    with pytest.raises(M.ProofError, match="signed_bytes is not the TreeHeadDataV2"):
        M.TreeHead.from_json({**j, "tree_size": 9})
    other = Ed25519PrivateKey.generate()
    with pytest.raises(M.ProofError, match="another key"):
        th.verify(M.TreeHead.sign(other, 8, ROOTS[7], 1).public_key)
    for field, bad, msg in (("tree_size", -1, "integer"), ("root_hash", "zz" * 32, "not hex"),
                            ("signature", "***", "base64"), ("timestamp", True, "integer")):
        with pytest.raises(M.ProofError, match=msg):
            M.TreeHead.from_json({**j, field: bad})
    with pytest.raises(M.ProofError, match="lacks field public_key"):
        M.TreeHead.from_json({k: v for k, v in j.items() if k != "public_key"})
