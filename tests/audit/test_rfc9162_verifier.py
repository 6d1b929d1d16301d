"""The independent RFC 9162 verifier (rfc9162_verifier.py) against a naive reference and published vectors.

Unit tests: nothing is started. Three independent sources are compared:

* a naive reference written here from the RFC's *generation* definitions (MTH §2.1.1, PATH
  §2.1.3.1, PROOF/SUBPROOF §2.1.4.1), which builds every proof recursively from the entries;
* the verifier's *verification* algorithms (§2.1.3.2, §2.1.4.2), which never rebuild a tree;
* vectors published by others: the RFC's own example (§2.1.5), SHA-256("") for the empty tree,
  and transparency-dev/merkle's test data (Apache-2.0; cited where used).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import rfc9162_verifier as v
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

VERIFIER = Path(__file__).with_name("rfc9162_verifier.py")
MAX_SIZE = 70
# distinct entries, so no two leaves (or subtrees) share a hash
ENTRIES = [f"disclosure-{i:03d}|purpose=claims|insurer=ins-{i % 7}".encode() for i in range(MAX_SIZE + 2)]


# --- the naive reference: RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1 as written -----------------------


def split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


@functools.cache
def ref_mth(entries: tuple[bytes, ...]) -> bytes:
    """MTH(D_n), recursively."""
    if not entries:
        return hashlib.sha256(b"").digest()
    if len(entries) == 1:
        return hashlib.sha256(b"\x00" + entries[0]).digest()
    k = split(len(entries))
    return hashlib.sha256(b"\x01" + ref_mth(entries[:k]) + ref_mth(entries[k:])).digest()


def ref_path(m: int, entries: tuple[bytes, ...]) -> list[bytes]:
    """PATH(m, D_n): the inclusion proof of d[m], leaf level first."""
    n = len(entries)
    if n == 1:
        return []
    k = split(n)
    if m < k:
        return ref_path(m, entries[:k]) + [ref_mth(entries[k:])]
    return ref_path(m - k, entries[k:]) + [ref_mth(entries[:k])]


def ref_proof(m: int, entries: tuple[bytes, ...]) -> list[bytes]:
    """PROOF(m, D_n) = SUBPROOF(m, D_n, true)."""
    return ref_subproof(m, entries, True)


def ref_subproof(m: int, entries: tuple[bytes, ...], b: bool) -> list[bytes]:
    n = len(entries)
    if m == n:
        return [] if b else [ref_mth(entries)]
    k = split(n)
    if m <= k:
        return ref_subproof(m, entries[:k], b) + [ref_mth(entries[k:])]
    return ref_subproof(m - k, entries[k:], False) + [ref_mth(entries[:k])]


def path_shape(m: int, n: int) -> tuple[str, ...]:
    """The side of each sibling in PATH(m, D_n), from the same recursion: 'R' right, 'L' left."""
    if n == 1:
        return ()
    k = split(n)
    return path_shape(m, k) + ("R",) if m < k else path_shape(m - k, n - k) + ("L",)


def proof_shape(m: int, n: int, b: bool = True) -> tuple[str, ...]:
    """What each element of PROOF(m, D_n) is, from the SUBPROOF recursion.

    'known' marks the base case SUBPROOF(m, D_m, true) (the verifier supplies MTH(D[0:m]) itself),
    'seed' the base case that contributes MTH(D_m), 'right' a subtree only the second tree has,
    'left' a subtree both trees share. Two (m, n) with equal shapes make the verifier compute the
    same thing from the same proof.
    """
    if m == n:
        return ("known",) if b else ("seed",)
    k = split(n)
    if m <= k:
        return proof_shape(m, k, b) + ("right",)
    return proof_shape(m - k, n - k, False) + ("left",)


def tree(n: int) -> tuple[bytes, ...]:
    return tuple(ENTRIES[:n])


def root(n: int) -> bytes:
    return ref_mth(tree(n))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def inclusion_json(i: int, n: int) -> dict:
    """What `medshare audit prove --json` prints for leaf i of the tree of size n."""
    return {
        "leaf_index": i,
        "tree_size": n,
        "leaf_input": b64(ENTRIES[i]),
        "audit_path": [h.hex() for h in ref_path(i, tree(n))],
        "root_hash": root(n).hex(),
    }


def consistency_json(m: int, n: int) -> dict:
    """What `medshare audit consistency m n --json` prints."""
    return {
        "first": m,
        "second": n,
        "first_root": root(m).hex(),
        "second_root": root(n).hex(),
        "proof": [h.hex() for h in ref_proof(m, tree(n))],
    }


def flip(h: bytes, bit: int = 0) -> bytes:
    out = bytearray(h)
    out[bit // 8 % len(out)] ^= 1 << (bit % 8)
    return bytes(out)


def flip_hex(h: str, bit: int = 0) -> str:
    return flip(bytes.fromhex(h), bit).hex()


# --- published properties --------------------------------------------------------------------


def test_empty_tree_root_is_sha256_of_the_empty_string():
    # RFC 9162 §2.1.1: MTH({}) = HASH(); SHA-256("") is FIPS 180-4's well-known digest
    expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert v.EMPTY_ROOT.hex() == expected
    assert ref_mth(()).hex() == expected
    assert v.root_from_entries([]).hex() == expected


def test_leaf_and_node_hashes_are_domain_separated():
    # RFC 9162 §2.1.1: leaves get 0x00, nodes 0x01, so a leaf can never pass for a node
    a, b = hashlib.sha256(b"a").digest(), hashlib.sha256(b"b").digest()
    assert v.leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert v.node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest()
    assert v.leaf_hash(a + b) != v.node_hash(a, b)
    assert v.node_hash(a, b) != v.node_hash(b, a)


# transparency-dev/merkle, testonly/constants.go (commit 417fb0c314750d94e53942e9f92e79b6d35915db,
# https://github.com/transparency-dev/merkle/blob/main/testonly/constants.go, Apache-2.0):
# LeafInputs() and RootHashes() for trees of size 0..8 built with the RFC 6962 hashing (the same
# as RFC 9162 with SHA-256). Data only; none of that repository's code is used.
TDM_LEAF_INPUTS = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
]
TDM_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


@pytest.mark.parametrize("n", range(len(TDM_ROOTS)))
def test_published_root_hashes(n):
    entries = tuple(bytes.fromhex(x) for x in TDM_LEAF_INPUTS[:n])
    assert ref_mth(entries).hex() == TDM_ROOTS[n]
    assert v.root_from_entries(entries).hex() == TDM_ROOTS[n]
    for i in range(n):
        doc = {
            "leaf_index": i,
            "tree_size": n,
            "leaf_input": b64(entries[i]),
            "audit_path": [h.hex() for h in ref_path(i, entries)],
            "root_hash": TDM_ROOTS[n],
        }
        assert v.check_inclusion(doc), v.why_not("inclusion", doc)
    for m in range(1, n + 1):
        doc = {
            "first": m,
            "second": n,
            "first_root": TDM_ROOTS[m],
            "second_root": TDM_ROOTS[n],
            "proof": [h.hex() for h in ref_proof(m, entries)],
        }
        assert v.check_consistency(doc), v.why_not("consistency", doc)


def test_rfc_example_section_2_1_5():
    """The RFC's seven-leaf tree, its four inclusion proofs and three consistency proofs."""
    d = tree(7)
    a, b, c, dd, e, f, j = (v.leaf_hash(x) for x in d)  # j is the lone leaf d6
    g, h, i = v.node_hash(a, b), v.node_hash(c, dd), v.node_hash(e, f)
    k, l_ = v.node_hash(g, h), v.node_hash(i, j)
    assert root(7) == v.node_hash(k, l_)
    # "The inclusion proof for d0 is [b, h, l]" ... "for d6 is [i, k]"
    assert ref_path(0, d) == [b, h, l_]
    assert ref_path(3, d) == [c, g, l_]
    assert ref_path(4, d) == [f, j, k]
    assert ref_path(6, d) == [i, k]
    # hash0 = MTH(d0..d2), hash1 = k, hash2 = MTH(d0..d5); PROOF(3)=[c, d, g, l], PROOF(4)=[l], PROOF(6)=[i, j, k]
    assert ref_proof(3, d) == [c, dd, g, l_]
    assert ref_proof(4, d) == [l_]
    assert ref_proof(6, d) == [i, j, k]
    assert root(3) == v.node_hash(g, c) and root(4) == k and root(6) == v.node_hash(k, i)
    for leaf, path in ((0, [b, h, l_]), (3, [c, g, l_]), (4, [f, j, k]), (6, [i, k])):
        assert v.inclusion_verdict(leaf, 7, v.leaf_hash(d[leaf]), path, root(7))
    for m, proof in ((3, [c, dd, g, l_]), (4, [l_]), (6, [i, j, k])):
        assert v.consistency_verdict(m, 7, root(m), root(7), proof)


@pytest.mark.parametrize("n", range(MAX_SIZE + 1))
def test_stack_algorithm_of_section_2_1_2_matches_the_recursive_definition(n):
    assert v.root_from_entries(tree(n)) == root(n)


# --- every proof of every tree of size 1..70 --------------------------------------------------


@pytest.mark.parametrize("n", range(1, MAX_SIZE + 1))
def test_every_inclusion_proof_verifies(n):
    for i in range(n):
        doc = inclusion_json(i, n)
        verdict = v.check_inclusion(doc)
        assert verdict.ok and verdict.reason, (i, n, verdict.reason)
        assert v.verify_inclusion(doc) is True and v.why_not("inclusion", doc) is None


@pytest.mark.parametrize("n", range(1, MAX_SIZE + 1))
def test_every_consistency_proof_verifies(n):
    for m in range(1, n + 1):
        doc = consistency_json(m, n)
        assert v.check_consistency(doc), (m, n, v.why_not("consistency", doc))
        assert v.verify_consistency(doc) is True
    assert consistency_json(n, n)["proof"] == []  # SUBPROOF(m, D_m, true) = {}


def test_path_lengths_match_the_rfc_bounds():
    for n in range(1, MAX_SIZE + 1):
        for m in range(1, n):
            # §2.1.4.1: "bounded above by ceil(log2(n)) + 1"
            assert len(ref_proof(m, tree(n))) <= (n - 1).bit_length() + 1
        for i in range(n):
            assert len(ref_path(i, tree(n))) <= (n - 1).bit_length()


# --- altered inclusion proofs ----------------------------------------------------------------


@pytest.mark.parametrize("n", range(1, MAX_SIZE + 1))
def test_a_flipped_bit_in_any_path_element_or_the_root_or_the_leaf_is_rejected(n):
    for i in range(n):
        doc = inclusion_json(i, n)
        for pos in range(len(doc["audit_path"])):
            for bit in (0, 255, 8 * pos + i):
                bad = dict(doc, audit_path=list(doc["audit_path"]))
                bad["audit_path"][pos] = flip_hex(bad["audit_path"][pos], bit)
                assert not v.check_inclusion(bad), (i, n, pos, bit)
        assert not v.check_inclusion(dict(doc, root_hash=flip_hex(doc["root_hash"], i)))
        changed = bytearray(ENTRIES[i])
        changed[-1] ^= 1
        for leaf in (bytes(changed), ENTRIES[i] + b" ", b"", ENTRIES[(i + 1) % len(ENTRIES)]):
            assert not v.check_inclusion(dict(doc, leaf_input=b64(leaf))), (i, n, leaf)


@pytest.mark.parametrize("n", range(1, MAX_SIZE + 1))
def test_a_path_that_is_truncated_extended_or_reordered_is_rejected(n):
    extra = hashlib.sha256(b"extra").hexdigest()
    for i in range(n):
        doc = inclusion_json(i, n)
        path = doc["audit_path"]
        variants = [path + [extra], [extra] + path, path + [doc["root_hash"]]]
        if path:
            variants += [path[:-1], path[1:], path + path[-1:], path[:1] + path]
        for pos in range(len(path) - 1):
            swapped = list(path)
            swapped[pos], swapped[pos + 1] = swapped[pos + 1], swapped[pos]
            variants.append(swapped)
        for bad in variants:
            assert not v.check_inclusion(dict(doc, audit_path=bad)), (i, n, len(bad))
        # §2.1.3.2 4a: an element left over once sn reaches 0 is a failure of its own, named as such
        assert "more than" in v.check_inclusion(dict(doc, audit_path=path + [extra])).reason


@pytest.mark.parametrize("n", range(1, MAX_SIZE + 1))
def test_another_index_is_rejected_and_another_size_passes_only_with_the_same_path_shape(n):
    """The verifier must agree with the PATH recursion on which (index, size) a path fits.

    Another index never fits (each leaf has its own root-to-leaf route). Another *size* fits
    exactly when PATH's recursion gives the same sibling sides, e.g. leaf 0 of 3 and of 4
    ([R, R]): the algorithm cannot tell them apart, only the signed tree head binds the size.
    """
    entries = tree(n)
    for i in range(n):
        proof, lh = ref_path(i, entries), v.leaf_hash(entries[i])
        for other in range(n + 3):
            if other != i:
                assert not v.inclusion_verdict(other, n, lh, proof, root(n)), (i, other, n)
        for size in range(0, MAX_SIZE + 3):
            if size == n:
                continue
            fits = i < size and path_shape(i, size) == path_shape(i, n)
            assert bool(v.inclusion_verdict(i, size, lh, proof, root(n))) is fits, (i, n, size)


def test_the_size_aliasing_exists_and_an_sth_binding_removes_it():
    doc = dict(inclusion_json(0, 3), tree_size=4)  # a proof for size 3 claimed for size 4
    assert v.check_inclusion(doc)  # RFC §2.1.3.2 alone accepts it (see the test above)
    sth3 = make_sth(size=3, root_=root(3))
    assert v.check_inclusion(inclusion_json(0, 3), sth=sth3, public_key=PUBLIC_HEX)
    verdict = v.check_inclusion(doc, sth=sth3, public_key=PUBLIC_HEX)
    assert not verdict and "signed tree head" in verdict.reason


def test_tree_of_size_zero_has_no_inclusion_proofs():
    doc = {
        "leaf_index": 0,
        "tree_size": 0,
        "leaf_input": "",
        "audit_path": [],
        "root_hash": v.EMPTY_ROOT.hex(),
    }
    assert not v.check_inclusion(doc)


# --- altered consistency proofs --------------------------------------------------------------


@pytest.mark.parametrize("n", range(2, MAX_SIZE + 1))
def test_a_flipped_bit_in_any_consistency_proof_element_is_rejected(n):
    for m in range(1, n):
        doc = consistency_json(m, n)
        for pos in range(len(doc["proof"])):
            for bit in (0, 255, 8 * pos + m):
                bad = dict(doc, proof=list(doc["proof"]))
                bad["proof"][pos] = flip_hex(bad["proof"][pos], bit)
                assert not v.check_consistency(bad), (m, n, pos, bit)


@pytest.mark.parametrize("n", range(2, MAX_SIZE + 1))
def test_consistency_with_wrong_roots_or_an_altered_path_is_rejected(n):
    extra = hashlib.sha256(b"extra").hexdigest()
    for m in range(1, n):
        doc = consistency_json(m, n)
        proof = doc["proof"]
        bad_docs = [
            dict(doc, first_root=flip_hex(doc["first_root"], m)),
            dict(doc, second_root=flip_hex(doc["second_root"], m)),
            dict(doc, first_root=doc["second_root"], second_root=doc["first_root"]),
            dict(doc, first_root=root(m - 1).hex() if m > 1 else v.EMPTY_ROOT.hex()),
            dict(doc, second_root=root(n - 1).hex()),
            dict(doc, first=n, second=m),  # first > second
            dict(doc, proof=proof[:-1]),
            dict(doc, proof=proof[1:]),
            dict(doc, proof=proof + [extra]),
            dict(doc, proof=[extra] + proof),
            dict(doc, proof=[doc["first_root"]] + proof),
            dict(doc, proof=[]),
        ]
        for pos in range(len(proof) - 1):
            swapped = list(proof)
            swapped[pos], swapped[pos + 1] = swapped[pos + 1], swapped[pos]
            bad_docs.append(dict(doc, proof=swapped))
        for bad in bad_docs:
            assert not v.check_consistency(bad), (m, n, bad)


@pytest.mark.parametrize("n", range(2, 41))
def test_other_sizes_pass_a_consistency_proof_only_with_the_same_proof_shape(n):
    """The §2.1.4.2 algorithm must agree with the SUBPROOF recursion about which sizes a proof fits."""
    for m in range(1, n):
        proof = ref_proof(m, tree(n))
        for other_n in range(m + 1, 44):
            if other_n != n:
                fits = proof_shape(m, other_n) == proof_shape(m, n)
                got = v.consistency_verdict(m, other_n, root(m), root(n), proof)
                assert bool(got) is fits, (m, n, other_n, got.reason)
        for other_m in range(1, n):
            if other_m != m:
                fits = proof_shape(other_m, n) == proof_shape(m, n)
                got = v.consistency_verdict(other_m, n, root(m), root(n), proof)
                assert bool(got) is fits, (m, other_m, n, got.reason)


def test_consistency_edge_cases_follow_the_documented_decisions():
    empty = v.EMPTY_ROOT.hex()
    r5 = root(5).hex()
    # first == second: valid iff the proof is empty and the roots are equal (SUBPROOF(m, D_m, true) = {})
    assert v.check_consistency({"first": 5, "second": 5, "first_root": r5, "second_root": r5, "proof": []})
    assert not v.check_consistency(
        {"first": 5, "second": 5, "first_root": r5, "second_root": r5, "proof": [r5]}
    )
    assert not v.check_consistency(
        {"first": 5, "second": 5, "first_root": r5, "second_root": root(4).hex(), "proof": []}
    )
    # first == 0: RFC 9162 defines no proof (0 < m); always invalid, whatever is sent
    for second in (0, 1, 5):
        for proof in ([], [empty], [r5]):
            doc = {
                "first": 0,
                "second": second,
                "first_root": empty,
                "second_root": root(second).hex(),
                "proof": proof,
            }
            verdict = v.check_consistency(doc)
            assert not verdict, doc
    assert (
        "0 < first"
        in v.check_consistency(
            {"first": 0, "second": 5, "first_root": empty, "second_root": r5, "proof": []}
        ).reason
    )
    # first > second
    assert not v.check_consistency(
        {"first": 6, "second": 5, "first_root": root(6).hex(), "second_root": r5, "proof": []}
    )


def test_json_field_aliases():
    doc = consistency_json(3, 7)
    aliased = {
        "tree_size_1": 3,
        "tree_size_2": 7,
        "first_hash": doc["first_root"],
        "second_hash": doc["second_root"],
        "consistency_path": doc["proof"],
    }
    assert v.check_consistency(aliased)
    assert v.check_consistency(dict(doc, tree_size_1=3, consistency_path=doc["proof"]))  # agreeing aliases
    assert not v.check_consistency(dict(doc, tree_size_1=4))  # disagreeing aliases
    assert not v.check_consistency(dict(doc, consistency_path=doc["proof"][:-1]))
    inc = inclusion_json(5, 9)
    renamed = dict(inc, inclusion_path=inc["audit_path"])
    del renamed["audit_path"]
    assert v.check_inclusion(renamed)
    by_hash = dict(inc, leaf_hash=v.leaf_hash(ENTRIES[5]).hex())
    del by_hash["leaf_input"]
    assert v.check_inclusion(by_hash)
    assert v.check_inclusion(dict(inc, leaf_hash=v.leaf_hash(ENTRIES[5]).hex()))
    assert not v.check_inclusion(dict(inc, leaf_hash=v.leaf_hash(ENTRIES[6]).hex()))
    # the leaf hash itself is not the leaf input: hashing it again must fail
    assert not v.check_inclusion(dict(inc, leaf_input=b64(v.leaf_hash(ENTRIES[5]))))
    # URL-safe base64 and upper-case hex are read too
    assert v.check_inclusion(dict(inc, leaf_input=base64.urlsafe_b64encode(ENTRIES[5]).decode().rstrip("=")))
    assert v.check_inclusion(dict(inc, root_hash=inc["root_hash"].upper()))


# --- transparency-dev/merkle's published vectors ---------------------------------------------

# Where this verifier's documented decisions differ from a vector's expectation, and why.
DEVIATIONS = {
    # its roots are the 12-byte strings "don't care 2", not SHA-256 hashes; RFC 9162 §4.9 says a
    # NodeHash's length MUST match HASH_SIZE, so this verifier rejects them before comparing
    "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json": True,
}


def _d(text: str) -> bytes:
    return base64.b64decode(text)


# --- signed tree heads -----------------------------------------------------------------------

PRIVATE = bytes(range(1, 33))  # a fixed test key


def _keys():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    sk = Ed25519PrivateKey.from_private_bytes(PRIVATE)
    pk = sk.public_key()
    raw = pk.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    pem = pk.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    der = pk.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return sk, raw, pem, der


SECRET, PUBLIC_RAW, PUBLIC_PEM, PUBLIC_DER = _keys()
PUBLIC_HEX = PUBLIC_RAW.hex()
TS = 1_767_225_600_123  # 2026-01-01T00:00:00.123Z


def make_sth(
    size=5,
    root_=None,
    ts=TS,
    *,
    sign_size=None,
    sign_root=None,
    sign_ts=None,
    signer=None,
    signed_bytes=False,
):
    """An STH as `medshare audit sth --json` might print it; sign_* sign other values than shown."""
    root_ = root(size) if root_ is None else root_
    shown_ts = TS if isinstance(ts, str) else ts  # ISO strings here all name TS or are invalid
    message = v.encode_tree_head_data_v2(
        shown_ts if sign_ts is None else sign_ts,
        size if sign_size is None else sign_size,
        root_ if sign_root is None else sign_root,
    )
    doc = {
        "tree_size": size,
        "root_hash": root_.hex(),
        "timestamp": ts,
        "signature": b64((signer or SECRET).sign(message)),
        "public_key": PUBLIC_PEM,
    }
    if signed_bytes:
        doc["signed_bytes"] = b64(message)
    return doc


def test_tree_head_data_v2_layout_by_hand():
    # RFC 9162 §4.9: uint64 timestamp, uint64 tree_size, opaque NodeHash<32..2^8-1>, Extension<0..2^16-1>
    got = v.encode_tree_head_data_v2(0x0102030405060708, 0x1112131415161718, bytes(range(32)))
    assert got.hex() == (
        "0102030405060708"
        "1112131415161718"
        "20"
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
        "0000"
    )
    assert len(got) == 51
    assert v.decode_tree_head_data_v2(got) == (0x0102030405060708, 0x1112131415161718, bytes(range(32)))
    # two empty extensions of types 1 and 2 (ascending, as §4.9 requires)
    two_ext = got[:49] + bytes.fromhex("00080001000000020000")
    assert v.decode_tree_head_data_v2(two_ext)[1] == 0x1112131415161718
    for bad in (
        got[:-1],
        got + b"\x00",
        got[:16] + b"\x1f" + got[17:],
        got[:49] + bytes.fromhex("00080002000000010000"),  # extensions out of order
        got[:49] + bytes.fromhex("000400010005"),  # extension data runs past the end
    ):
        with pytest.raises(v.Malformed):
            v.decode_tree_head_data_v2(bad)


def test_rfc8032_test_1_key_and_signature_are_read_in_every_format():
    # RFC 8032 §7.1 TEST 1 (empty message): the published public key and signature
    public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    signature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    key = v.load_public_key(public)
    key.verify(bytes.fromhex(signature), b"")
    assert v._signature(signature) == v._signature(b64(bytes.fromhex(signature)))


@pytest.mark.parametrize("key_form", ["pem", "hex", "b64raw", "b64der", "bytes", "obj", "dict"])
def test_a_correct_sth_verifies_with_every_key_form(key_form):
    forms = {
        "pem": PUBLIC_PEM,
        "hex": PUBLIC_HEX,
        "b64raw": b64(PUBLIC_RAW),
        "b64der": b64(PUBLIC_DER),
        "bytes": PUBLIC_RAW,
        "obj": SECRET.public_key(),
        "dict": {"pem": PUBLIC_PEM},
    }
    sth = make_sth()
    verdict = v.check_sth(sth, public_key=forms[key_form])
    assert verdict and "pinned" in verdict.reason, verdict.reason
    assert v.verify_sth(sth, forms[key_form]) is True


def test_sth_variants_that_verify():
    assert v.check_sth(make_sth())  # the STH's own public_key
    assert "self-consistency" in v.check_sth(make_sth()).reason
    assert v.check_sth(make_sth(signed_bytes=True), PUBLIC_PEM)
    hex_sig = make_sth()
    hex_sig["signature"] = base64.b64decode(hex_sig["signature"]).hex()
    assert v.check_sth(hex_sig, PUBLIC_PEM)
    for iso in ("2026-01-01T00:00:00.123Z", "2026-01-01T00:00:00.123+00:00", "2026-01-01T08:00:00.123+08:00"):
        assert v.check_sth(make_sth(ts=iso), PUBLIC_PEM), iso
    assert v.check_sth(make_sth(size=0, root_=v.EMPTY_ROOT), PUBLIC_PEM)
    assert v.check_sth(make_sth(size=70), PUBLIC_PEM)


def test_sth_changes_are_rejected():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = Ed25519PrivateKey.from_private_bytes(bytes(32))
    good = make_sth()
    sig = bytearray(base64.b64decode(good["signature"]))
    sig[10] ^= 0x04
    cases = {
        "tree_size shown differs from signed": make_sth(sign_size=6),
        "root shown differs from signed": make_sth(sign_root=root(4)),
        "timestamp shown differs from signed": make_sth(sign_ts=TS + 1),
        "tree_size edited after signing": dict(good, tree_size=6),
        "root edited after signing": dict(good, root_hash=flip_hex(good["root_hash"], 3)),
        "timestamp edited after signing": dict(good, timestamp=TS - 1),
        "signature bit flipped": dict(good, signature=b64(bytes(sig))),
        "signed by another key": make_sth(signer=other),
        "signature truncated": dict(good, signature=b64(base64.b64decode(good["signature"])[:63])),
        "size 0 with a non-empty root": make_sth(size=0, root_=root(1)),
        "ISO timestamp finer than a millisecond": make_sth(ts="2026-01-01T00:00:00.123400Z"),
        "ISO timestamp without an offset": make_sth(ts="2026-01-01T00:00:00.123"),
    }
    for what, sth in cases.items():
        verdict = v.check_sth(sth, PUBLIC_PEM)
        assert not verdict and verdict.reason, what
    # the right STH under another pinned key, and a pinned key overriding the STH's own
    other_hex = other.public_key().public_bytes_raw().hex()
    assert not v.check_sth(good, other_hex)
    assert v.check_sth(dict(make_sth(signer=other), public_key=other_hex))  # self-consistent only...
    assert not v.check_sth(dict(make_sth(signer=other), public_key=other_hex), PUBLIC_PEM)  # ...not the log's


def test_signed_bytes_must_encode_the_fields_shown():
    base = make_sth(signed_bytes=True)
    assert v.check_sth(base, PUBLIC_PEM)
    # signature valid over signed_bytes, but the JSON shows other values than the bytes encode
    for field, value in (("tree_size", 6), ("root_hash", root(6).hex()), ("timestamp", TS + 1)):
        verdict = v.check_sth(dict(base, **{field: value}), PUBLIC_PEM)
        assert not verdict and field in verdict.reason, (field, verdict.reason)
    garbage = make_sth()
    garbage["signed_bytes"] = b64(b"not a tree head")
    assert not v.check_sth(garbage, PUBLIC_PEM)


def test_a_custom_layout_can_be_plugged_in():
    def encode(ts, size, root_):
        return json.dumps({"t": ts, "n": size, "r": root_.hex()}, sort_keys=True).encode()

    def decode(data):
        obj = json.loads(data)
        return obj["t"], obj["n"], bytes.fromhex(obj["r"])

    layout = v.TreeHeadLayout("json", encode, decode)
    sth = {"tree_size": 5, "root_hash": root(5).hex(), "timestamp": TS}
    sth["signature"] = SECRET.sign(encode(TS, 5, root(5))).hex()
    assert v.check_sth(sth, PUBLIC_PEM, layout)
    assert not v.check_sth(sth, PUBLIC_PEM)  # not the default layout's bytes
    assert v.verify_sth(dict(sth, signed_bytes=b64(encode(TS, 5, root(5)))), PUBLIC_PEM, layout)


def test_consistency_tied_to_two_signed_tree_heads():
    doc = consistency_json(6, 9)
    s6, s9 = make_sth(size=6), make_sth(size=9)
    assert v.check_consistency(doc, first_sth=s6, second_sth=s9, public_key=PUBLIC_PEM)
    assert not v.check_consistency(doc, first_sth=s9, second_sth=s9, public_key=PUBLIC_PEM)
    assert not v.check_consistency(
        doc, first_sth=s6, second_sth=dict(s9, tree_size=10), public_key=PUBLIC_PEM
    )


# --- malformed input never raises -------------------------------------------------------------

MALFORMED_INCLUSION = [
    None,
    [],
    "text",
    {},
    dict(inclusion_json(1, 4), leaf_index="1"),
    dict(inclusion_json(1, 4), leaf_index=True),
    dict(inclusion_json(1, 4), leaf_index=-1),
    dict(inclusion_json(1, 4), tree_size=2**64),
    dict(inclusion_json(1, 4), tree_size=4.0),
    dict(inclusion_json(1, 4), root_hash="zz" * 32),
    dict(inclusion_json(1, 4), root_hash=root(4).hex()[:-2]),
    dict(inclusion_json(1, 4), audit_path="00" * 32),
    dict(inclusion_json(1, 4), audit_path=[None]),
    dict(inclusion_json(1, 4), audit_path=["00" * 32] * 65),
    dict(inclusion_json(1, 4), leaf_input="***"),
    dict(inclusion_json(1, 4), leaf_input=None),
    {k: val for k, val in inclusion_json(1, 4).items() if k != "leaf_input"},
]


@pytest.mark.parametrize("doc", MALFORMED_INCLUSION, ids=range(len(MALFORMED_INCLUSION)))
def test_malformed_inclusion_is_a_reason_not_an_exception(doc):
    verdict = v.check_inclusion(doc)
    assert verdict.ok is False and verdict.reason
    assert v.verify_inclusion(doc) is False


def test_malformed_consistency_and_sth_are_reasons_not_exceptions():
    good = consistency_json(3, 8)
    for doc in (
        None,
        {},
        dict(good, first=None),
        dict(good, proof=None),
        dict(good, proof=[1]),
        dict(good, second_root=""),
        dict(good, proof=["00" * 32] * 66),
    ):
        verdict = v.check_consistency(doc)
        assert verdict.ok is False and verdict.reason, doc
    sth = make_sth()
    for doc in (
        None,
        {},
        dict(sth, signature=""),
        dict(sth, signature=None),
        dict(sth, public_key="nonsense!"),
        dict(sth, public_key=PUBLIC_HEX[:-2]),
        dict(sth, public_key=None),
        dict(sth, timestamp="yesterday"),
        dict(sth, timestamp=-5),
        dict(sth, signed_bytes=17),
    ):
        verdict = v.check_sth(doc)
        assert verdict.ok is False and verdict.reason, doc
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    ec_pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    verdict = v.check_sth(sth, ec_pem)
    assert not verdict and "not an Ed25519 key" in verdict.reason
    assert v.why_not("nonsense", {}) is not None


JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.text(max_size=80)
    | st.just("00" * 32)
    | st.just(PUBLIC_HEX),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
KEYS = [
    "leaf_index",
    "tree_size",
    "leaf_input",
    "leaf_hash",
    "audit_path",
    "inclusion_path",
    "root_hash",
    "first",
    "second",
    "tree_size_1",
    "tree_size_2",
    "first_root",
    "second_root",
    "proof",
    "consistency_path",
    "timestamp",
    "signature",
    "public_key",
    "signed_bytes",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(KEYS), JSONISH, max_size=len(KEYS)) | JSONISH)
def test_random_documents_never_raise(doc):
    for check in (v.check_inclusion, v.check_consistency, v.check_sth):
        verdict = check(doc)
        assert isinstance(verdict, v.Verdict) and isinstance(verdict.reason, str) and verdict.reason


@settings(max_examples=200, deadline=None)
@given(st.integers(1, MAX_SIZE), st.data())
def test_random_mutations_of_a_valid_proof_are_rejected(n, data):
    i = data.draw(st.integers(0, n - 1))
    doc = inclusion_json(i, n)
    field = data.draw(st.sampled_from(["leaf_index", "leaf_input", "audit_path", "root_hash"]))
    if field == "leaf_index":
        doc[field] = data.draw(st.integers(0, 2**64 - 1).filter(lambda x: x != i))
    elif field == "leaf_input":
        doc[field] = b64(data.draw(st.binary(max_size=64).filter(lambda b: b != ENTRIES[i])))
    elif field == "root_hash":
        doc[field] = data.draw(st.binary(min_size=32, max_size=32).filter(lambda b: b != root(n))).hex()
    else:
        real = ref_path(i, tree(n))
        doc[field] = [
            h.hex()
            for h in data.draw(
                st.lists(st.binary(min_size=32, max_size=32), max_size=8).filter(lambda p: p != real)
            )
        ]
    assert not v.check_inclusion(doc)


# --- the command line ------------------------------------------------------------------------


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(VERIFIER), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_exit_codes_and_one_line(tmp_path):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(inclusion_json(3, 11)))
    bad.write_text(json.dumps(dict(inclusion_json(3, 11), leaf_index=4)))
    ok = run_cli("inclusion", str(good))
    assert ok.returncode == 0 and ok.stdout.startswith("valid: ") and ok.stdout.count("\n") == 1
    no = run_cli("inclusion", str(bad))
    assert no.returncode == 1 and no.stdout.startswith("invalid: ") and no.stdout.count("\n") == 1
    cons = tmp_path / "cons.json"
    cons.write_text(json.dumps(consistency_json(5, 11)))
    assert run_cli("consistency", str(cons)).returncode == 0
    assert (
        run_cli("consistency", "-", stdin=json.dumps(dict(consistency_json(5, 11), first=4))).returncode == 1
    )
    (tmp_path / "junk.json").write_text("{not json")
    junk = run_cli("inclusion", str(tmp_path / "junk.json"))
    assert junk.returncode == 1 and "cannot read input" in junk.stdout
    missing = run_cli("sth", str(tmp_path / "absent.json"))
    assert missing.returncode == 1 and missing.stdout.startswith("invalid: ")


def test_cli_sth_with_a_pinned_key_and_a_proof_tied_to_it(tmp_path):
    sth_file, key_file, proof_file = tmp_path / "sth.json", tmp_path / "log.pub", tmp_path / "proof.json"
    sth_file.write_text(json.dumps(make_sth(size=11)))
    key_file.write_text(PUBLIC_PEM)
    proof_file.write_text(json.dumps(inclusion_json(7, 11)))
    res = run_cli("sth", str(sth_file), "--public-key", str(key_file))
    assert res.returncode == 0 and "pinned" in res.stdout, res.stdout
    assert run_cli("sth", str(sth_file), "--public-key", PUBLIC_HEX).returncode == 0
    assert (
        run_cli("inclusion", str(proof_file), "--sth", str(sth_file), "--public-key", PUBLIC_HEX).returncode
        == 0
    )
    other = tmp_path / "sth10.json"
    other.write_text(json.dumps(make_sth(size=10)))
    assert (
        run_cli("inclusion", str(proof_file), "--sth", str(other), "--public-key", PUBLIC_HEX).returncode == 1
    )
    der_file = tmp_path / "log.der"
    der_file.write_bytes(PUBLIC_DER)
    assert run_cli("sth", str(sth_file), "--public-key", str(der_file)).returncode == 0
    wrong = run_cli("sth", str(sth_file), "--public-key", "00" * 32)
    assert wrong.returncode == 1


# --- vectors ----------------------------------------------------------------------------------
# transparency-dev/merkle, testdata/inclusion/** and testdata/consistency/** (commit
# 417fb0c314750d94e53942e9f92e79b6d35915db, https://github.com/transparency-dev/merkle/tree/main/testdata,
# Apache-2.0), every file, copied as data: (file, leafIdx, treeSize, root, leafHash, proof, wantErr) and
# (file, size1, size2, root1, root2, proof, wantErr), hashes in base64 as published, a null proof as [].
# The tree is the one of testonly/constants.go above.

# fmt: off
TDM_INCLUSION = [
    ("inclusion/0/empty-root.json", 0, 1, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", [], True),
    ("inclusion/0/happy-path.json", 0, 1, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", [], False),
    ("inclusion/0/leafIdx-XOR-@2.json", 2, 1, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", [], True),
    ("inclusion/0/leafIdx-plus-@1.json", 1, 1, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", [], True),
    ("inclusion/0/leafIdx-sub-@1.json", 18446744073709551615, 1, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", [], True),
    ("inclusion/0/preceding-garbage.json", 0, 1, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", [""], True),
    ("inclusion/0/preceding-root.json", 0, 1, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0="], True),
    ("inclusion/0/random-root.json", 0, 1, "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", [], True),
    ("inclusion/0/trailing-garbage.json", 0, 1, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", [""], True),
    ("inclusion/0/trailing-root.json", 0, 1, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0="], True),
    ("inclusion/0/treeSize-div-@2.json", 0, 0, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", [], True),
    ("inclusion/0/treeSize-mul-@2.json", 0, 2, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", [], True),
    ("inclusion/0/wrong-leaf.json", 0, 1, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "V3JvbmdMZWFm", [], True),
    ("inclusion/1/empty-root.json", 0, 8, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("inclusion/1/happy-path.json", 0, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], False),
    ("inclusion/1/inserted-component.json", 0, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("inclusion/1/leafIdx-XOR-@2.json", 2, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("inclusion/1/leafIdx-plus-@1.json", 1, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("inclusion/1/leafIdx-sub-@1.json", 18446744073709551615, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("inclusion/1/modified-proof[0]-bit-@3.json", 0, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["nqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("inclusion/1/modified-proof[1]-bit-@3.json", 0, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Vwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("inclusion/1/modified-proof[2]-bit-@3.json", 0, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "Y0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("inclusion/1/preceding-garbage.json", 0, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("inclusion/1/preceding-root.json", 0, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("inclusion/1/random-root.json", 0, 8, "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("inclusion/1/removed-component.json", 0, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4="], True),
    ("inclusion/1/trailing-garbage.json", 0, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=", ""], True),
    ("inclusion/1/trailing-root.json", 0, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="], True),
    ("inclusion/1/treeSize-div-@2.json", 0, 4, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("inclusion/1/treeSize-mul-@2.json", 0, 16, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("inclusion/1/wrong-leaf.json", 0, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "V3JvbmdMZWFm", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("inclusion/2/empty-root.json", 5, 8, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("inclusion/2/happy-path.json", 5, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], False),
    ("inclusion/2/inserted-component.json", 5, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("inclusion/2/leafIdx-XOR-@2.json", 7, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("inclusion/2/leafIdx-plus-@1.json", 6, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("inclusion/2/leafIdx-sub-@1.json", 4, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("inclusion/2/modified-proof[0]-bit-@3.json", 5, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["tBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("inclusion/2/modified-proof[1]-bit-@3.json", 5, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "woVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("inclusion/2/modified-proof[2]-bit-@3.json", 5, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "237kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("inclusion/2/preceding-garbage.json", 5, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("inclusion/2/preceding-root.json", 5, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("inclusion/2/random-root.json", 5, 8, "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("inclusion/2/removed-component.json", 5, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA="], True),
    ("inclusion/2/trailing-garbage.json", 5, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=", ""], True),
    ("inclusion/2/trailing-root.json", 5, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="], True),
    ("inclusion/2/treeSize-div-@2.json", 5, 4, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("inclusion/2/treeSize-mul-@2.json", 5, 16, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("inclusion/2/wrong-leaf.json", 5, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "V3JvbmdMZWFm", ["vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("inclusion/3/empty-root.json", 2, 3, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", ["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="], True),
    ("inclusion/3/happy-path.json", 2, 3, "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=", "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", ["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="], False),
    ("inclusion/3/leafIdx-XOR-@2.json", 0, 3, "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=", "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", ["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="], True),
    ("inclusion/3/leafIdx-plus-@1.json", 3, 3, "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=", "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", ["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="], True),
    ("inclusion/3/leafIdx-sub-@1.json", 1, 3, "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=", "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", ["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="], True),
    ("inclusion/3/modified-proof[0]-bit-@3.json", 2, 3, "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=", "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", ["8sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="], True),
    ("inclusion/3/preceding-garbage.json", 2, 3, "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=", "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", ["", "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="], True),
    ("inclusion/3/preceding-root.json", 2, 3, "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=", "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", ["rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=", "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="], True),
    ("inclusion/3/random-root.json", 2, 3, "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", ["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="], True),
    ("inclusion/3/removed-component.json", 2, 3, "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=", "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", [], True),
    ("inclusion/3/trailing-garbage.json", 2, 3, "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=", "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", ["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", ""], True),
    ("inclusion/3/trailing-root.json", 2, 3, "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=", "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", ["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc="], True),
    ("inclusion/3/treeSize-div-@2.json", 2, 1, "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=", "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", ["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="], True),
    ("inclusion/3/treeSize-mul-@2.json", 2, 6, "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=", "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", ["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="], True),
    ("inclusion/3/wrong-leaf.json", 2, 3, "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=", "V3JvbmdMZWFm", ["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="], True),
    ("inclusion/4/empty-root.json", 1, 5, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("inclusion/4/happy-path.json", 1, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], False),
    ("inclusion/4/inserted-component.json", 1, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("inclusion/4/leafIdx-XOR-@2.json", 3, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("inclusion/4/leafIdx-plus-@1.json", 2, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("inclusion/4/leafIdx-sub-@1.json", 0, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("inclusion/4/modified-proof[0]-bit-@3.json", 1, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["ZjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("inclusion/4/modified-proof[1]-bit-@3.json", 1, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Vwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("inclusion/4/modified-proof[2]-bit-@3.json", 1, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "tBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("inclusion/4/preceding-garbage.json", 1, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("inclusion/4/preceding-root.json", 1, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("inclusion/4/random-root.json", 1, 5, "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("inclusion/4/removed-component.json", 1, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4="], True),
    ("inclusion/4/trailing-garbage.json", 1, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", ""], True),
    ("inclusion/4/trailing-root.json", 1, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ="], True),
    ("inclusion/4/treeSize-div-@2.json", 1, 2, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("inclusion/4/treeSize-mul-@2.json", 1, 10, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("inclusion/4/wrong-leaf.json", 1, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "V3JvbmdMZWFm", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("inclusion/additional/0/empty-root-and-random-leaf.json", 0, 0, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", [], True),
    ("inclusion/additional/0/empty-root.json", 0, 0, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "", [], True),
    ("inclusion/additional/0/random-leaf.json", 0, 0, "", "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", [], True),
    ("inclusion/additional/1/empty-root-and-random-leaf.json", 0, 1, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", [], True),
    ("inclusion/additional/1/empty-root.json", 0, 1, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "", [], True),
    ("inclusion/additional/1/random-leaf.json", 0, 1, "", "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", [], True),
    ("inclusion/additional/2/empty-root-and-random-leaf.json", 1, 0, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", [], True),
    ("inclusion/additional/2/empty-root.json", 1, 0, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "", [], True),
    ("inclusion/additional/2/random-leaf.json", 1, 0, "", "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", [], True),
    ("inclusion/additional/3/empty-root-and-random-leaf.json", 2, 1, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", [], True),
    ("inclusion/additional/3/empty-root.json", 2, 1, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "", [], True),
    ("inclusion/additional/3/random-leaf.json", 2, 1, "", "q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=", [], True),
    ("inclusion/single-entry/empty-leaf.json", 0, 1, "DTrtAjFI/9KiWfvQzcf7PPl1ZYdg03dbgq9vkKrMLfw=", "", [], True),
    ("inclusion/single-entry/empty-root-and-leaf.json", 0, 1, "", "", [], True),
    ("inclusion/single-entry/empty-root.json", 0, 1, "", "DTrtAjFI/9KiWfvQzcf7PPl1ZYdg03dbgq9vkKrMLfw=", [], True),
    ("inclusion/single-entry/matching-root-and-leaf.json", 0, 1, "DTrtAjFI/9KiWfvQzcf7PPl1ZYdg03dbgq9vkKrMLfw=", "DTrtAjFI/9KiWfvQzcf7PPl1ZYdg03dbgq9vkKrMLfw=", [], False),
]

TDM_CONSISTENCY = [
    ("consistency/0/happy-path.json", 1, 1, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", [], False),
    ("consistency/1/empty-proof.json", 1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", [], True),
    ("consistency/1/happy-path.json", 1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], False),
    ("consistency/1/modified-proof@0-bit-@4.json", 1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["hqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/1/modified-proof@1-bit-@4.json", 1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Twg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/1/modified-proof@2-bit-@4.json", 1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "e0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/1/preceding-garbage.json", 1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/1/preceding-proof-@0.json", 1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/1/preceding-root1.json", 1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/1/preceding-root2.json", 1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/1/size1-XOR-@2.json", 3, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/1/size1-plus-@1.json", 2, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/1/size1-sub-@1.json", 0, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/1/size2-div-@2.json", 1, 4, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/1/size2-mul-@2.json", 1, 16, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/1/swapped-roots.json", 1, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/1/trailing-garbage.json", 1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=", ""], True),
    ("consistency/1/trailing-root1.json", 1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0="], True),
    ("consistency/1/trailing-root2.json", 1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="], True),
    ("consistency/1/truncated-proof.json", 1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4="], True),
    ("consistency/1/wrong-root1.json", 1, 8, "V3JvbmdSb290", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/1/wrong-root2.json", 1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "V3JvbmdSb290", ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="], True),
    ("consistency/2/empty-proof.json", 6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", [], True),
    ("consistency/2/happy-path.json", 6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], False),
    ("consistency/2/modified-proof@0-bit-@4.json", 6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["HrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/2/modified-proof@1-bit-@4.json", 6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "2oVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/2/modified-proof@2-bit-@4.json", 6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "w37kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/2/preceding-garbage.json", 6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["", "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/2/preceding-proof-@0.json", 6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/2/preceding-root1.json", 6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/2/preceding-root2.json", 6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/2/size1-XOR-@2.json", 4, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/2/size1-plus-@1.json", 7, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/2/size1-sub-@1.json", 5, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/2/size2-div-@2.json", 6, 4, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/2/size2-mul-@2.json", 6, 16, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/2/swapped-roots.json", 6, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/2/trailing-garbage.json", 6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=", ""], True),
    ("consistency/2/trailing-root1.json", 6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=", "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8="], True),
    ("consistency/2/trailing-root2.json", 6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="], True),
    ("consistency/2/truncated-proof.json", 6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA="], True),
    ("consistency/2/wrong-root1.json", 6, 8, "V3JvbmdSb290", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/2/wrong-root2.json", 6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "V3JvbmdSb290", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/3/empty-proof.json", 2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", [], True),
    ("consistency/3/happy-path.json", 2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], False),
    ("consistency/3/modified-proof@0-bit-@4.json", 2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Twg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("consistency/3/modified-proof@1-bit-@4.json", 2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "rBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("consistency/3/preceding-garbage.json", 2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("consistency/3/preceding-proof-@0.json", 2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("consistency/3/preceding-root1.json", 2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("consistency/3/preceding-root2.json", 2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("consistency/3/size1-XOR-@2.json", 0, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("consistency/3/size1-plus-@1.json", 3, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("consistency/3/size1-sub-@1.json", 1, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("consistency/3/size2-div-@2.json", 2, 2, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("consistency/3/size2-mul-@2.json", 2, 10, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("consistency/3/swapped-roots.json", 2, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("consistency/3/trailing-garbage.json", 2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", ""], True),
    ("consistency/3/trailing-root1.json", 2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="], True),
    ("consistency/3/trailing-root2.json", 2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ="], True),
    ("consistency/3/truncated-proof.json", 2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4="], True),
    ("consistency/3/wrong-root1.json", 2, 5, "V3JvbmdSb290", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("consistency/3/wrong-root2.json", 2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "V3JvbmdSb290", ["Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="], True),
    ("consistency/4/empty-proof.json", 6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", [], True),
    ("consistency/4/happy-path.json", 6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], False),
    ("consistency/4/modified-proof@0-bit-@4.json", 6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["HrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/4/modified-proof@1-bit-@4.json", 6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "oIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/4/modified-proof@2-bit-@4.json", 6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "w37kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/4/preceding-garbage.json", 6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["", "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/4/preceding-proof-@0.json", 6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/4/preceding-root1.json", 6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/4/preceding-root2.json", 6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/4/size1-XOR-@2.json", 4, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/4/size1-plus-@1.json", 7, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/4/size1-sub-@1.json", 5, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/4/size2-div-@2.json", 6, 3, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/4/size2-mul-@2.json", 6, 14, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/4/swapped-roots.json", 6, 7, "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/4/trailing-garbage.json", 6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=", ""], True),
    ("consistency/4/trailing-root1.json", 6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=", "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8="], True),
    ("consistency/4/trailing-root2.json", 6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw="], True),
    ("consistency/4/truncated-proof.json", 6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8="], True),
    ("consistency/4/wrong-root1.json", 6, 7, "V3JvbmdSb290", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/4/wrong-root2.json", 6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "V3JvbmdSb290", ["DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=", "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="], True),
    ("consistency/additional/consistency-check-on-empty-tree-size1-is-zero-is-useless.json", 0, 1, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", ["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="], True),
    ("consistency/additional/roots-do-not-match-and-sizes-are-zero.json", 0, 0, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "ZG9uJ3QgY2FyZSAy", [], True),
    ("consistency/additional/roots-do-not-not-match-and-sizes-are-one.json", 1, 1, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "ZG9uJ3QgY2FyZSAy", [], True),
    ("consistency/additional/size1-is-greater-than-size2-again.json", 2, 1, "ZG9uJ3QgY2FyZSAx", "ZG9uJ3QgY2FyZSAy", [], True),
    ("consistency/additional/size1-is-greater-than-size2.json", 1, 0, "ZG9uJ3QgY2FyZSAx", "ZG9uJ3QgY2FyZSAy", [], True),
    ("consistency/additional/size1-is-zero-and-does-not-equal-size2.json", 0, 1, "ZG9uJ3QgY2FyZSAx", "ZG9uJ3QgY2FyZSAy", [], True),
    ("consistency/additional/size1-is-zero-and-size2-is-not-zero.json", 0, 1, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "ZG9uJ3QgY2FyZSAy", [], True),
    ("consistency/additional/sizes-are-equal-one-and-proof-is-empty.json", 1, 1, "ZG9uJ3QgY2FyZSAy", "ZG9uJ3QgY2FyZSAy", [], False),
    ("consistency/additional/sizes-are-equal-one-but-roots-are-not.json", 1, 1, "ZG9uJ3QgY2FyZSAx", "ZG9uJ3QgY2FyZSAy", [], True),
    ("consistency/additional/sizes-are-equal-zero-and-proof-is-empty.json", 0, 0, "ZG9uJ3QgY2FyZSAx", "ZG9uJ3QgY2FyZSAx", [], True),
    ("consistency/additional/sizes-are-equal-zero-but-roots-are-not.json", 0, 0, "ZG9uJ3QgY2FyZSAx", "ZG9uJ3QgY2FyZSAy", [], True),
    ("consistency/additional/sizes-do-not-watch-and-proof-is-empty.json", 1, 2, "ZG9uJ3QgY2FyZSAx", "ZG9uJ3QgY2FyZSAy", [], True),
    ("consistency/additional/sizes-match-but-proof-is-not-empty-and-sizes-are-one.json", 1, 1, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", ["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="], True),
    ("consistency/additional/sizes-match-but-proof-is-not-empty-and-sizes-are-zero.json", 0, 0, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", ["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="], True),
]
# fmt: on


def test_vectors_are_all_present():
    assert len(TDM_INCLUSION) == 98 and len(TDM_CONSISTENCY) == 98
    assert sum(not want_err for *_, want_err in TDM_INCLUSION + TDM_CONSISTENCY) == 12


@pytest.mark.parametrize(
    "name,index,size,root_,leaf,proof,want_err", TDM_INCLUSION, ids=[t[0] for t in TDM_INCLUSION]
)
def test_transparency_dev_inclusion_vectors(name, index, size, root_, leaf, proof, want_err):
    verdict = v.inclusion_verdict(index, size, _d(leaf), [_d(p) for p in proof], _d(root_))
    assert (not verdict) is DEVIATIONS.get(name, want_err), verdict.reason
    if len(_d(root_)) == 32 and len(_d(leaf)) == 32 and all(len(_d(p)) == 32 for p in proof):
        doc = {
            "leaf_index": index,
            "tree_size": size,
            "leaf_hash": _d(leaf).hex(),
            "audit_path": [_d(p).hex() for p in proof],
            "root_hash": _d(root_).hex(),
        }
        assert v.check_inclusion(doc).ok is verdict.ok


@pytest.mark.parametrize(
    "name,first,second,root1,root2,proof,want_err", TDM_CONSISTENCY, ids=[t[0] for t in TDM_CONSISTENCY]
)
def test_transparency_dev_consistency_vectors(name, first, second, root1, root2, proof, want_err):
    verdict = v.consistency_verdict(first, second, _d(root1), _d(root2), [_d(p) for p in proof])
    assert (not verdict) is DEVIATIONS.get(name, want_err), verdict.reason
