"""Key management on files: keyring, insurer private keys (0600, passphrase), rotation, retirement."""

from __future__ import annotations

import json
import os
import stat
import threading

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from pydantic import SecretStr

from medshare.config import Settings
from privacy import keys
from privacy.crypto import Encryptor, Envelope
from privacy.exceptions import KeyManagementError
from privacy.sdk import InsurerDecryptor, load_private_key

TOPIC = "insurer.hhb.claims.v1"


@pytest.fixture
def cfg(tmp_path) -> Settings:
    return Settings(home=tmp_path / "home")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _public_pem(key: X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


# --- demo key pair ---------------------------------------------------------------------------
def test_create_insurer_keypair_writes_both_sides(cfg):
    info = keys.create_insurer_keypair("hhb", cfg=cfg)
    assert (info.code, info.key_id, info.version, info.status) == ("hhb", "hhb", 1, keys.CURRENT)
    assert info.public_key_path == cfg.keyring_dir / "hhb" / "v1.pub"
    assert info.private_key_path == cfg.insurers_dir / "hhb" / "keys" / "v1.key"
    assert _mode(info.private_key_path) == 0o600
    assert _mode(info.private_key_path.parent) == 0o700
    assert not list(info.public_key_path.parent.glob("*.key")), "no private key in the pipeline keyring"
    manifest = json.loads((cfg.keyring_dir / "hhb" / "manifest.json").read_text())
    assert manifest["current"] == 1 and manifest["versions"][0]["fingerprint"] == info.fingerprint
    assert info.created_at.tzinfo is not None


def test_create_insurer_keypair_is_idempotent(cfg):
    first = keys.create_insurer_keypair("hhb", cfg=cfg)
    again = keys.create_insurer_keypair("hhb", cfg=cfg)
    assert again == first
    assert len(keys.list_keys("hhb", cfg)) == 1


def test_private_key_is_0600_from_the_first_byte_even_with_a_permissive_umask(cfg):
    old = os.umask(0)
    try:
        info = keys.create_insurer_keypair("hhb", cfg=cfg)
        keys.pipeline_secret("quarantine", cfg)
    finally:
        os.umask(old)
    assert _mode(info.private_key_path) == 0o600
    assert _mode(cfg.pipeline_dir / "quarantine.key") == 0o600


def test_passphrase_protects_the_private_key(cfg):
    info = keys.create_insurer_keypair("hhb", passphrase=b"correct horse", cfg=cfg)
    pem = info.private_key_path.read_bytes()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(KeyManagementError, match="passphrase-protected"):
        load_private_key(info.private_key_path)
    with pytest.raises(KeyManagementError, match="wrong passphrase"):
        load_private_key(info.private_key_path, b"wrong")
    assert isinstance(load_private_key(info.private_key_path, b"correct horse"), X25519PrivateKey)
    with pytest.raises(KeyManagementError):
        InsurerDecryptor.from_dir(cfg.insurers_dir / "hhb")


def test_passphrase_defaults_to_the_setting(tmp_path):
    cfg = Settings(home=tmp_path, key_passphrase=SecretStr("from-env"))
    info = keys.create_insurer_keypair("hhb", cfg=cfg)
    assert info.private_key_path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    load_private_key(info.private_key_path, b"from-env")


def test_without_passphrase_the_key_is_plain_pkcs8(cfg):
    info = keys.create_insurer_keypair("hhb", cfg=cfg)
    assert info.private_key_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")


@pytest.mark.parametrize("code", ["", "H", "HHB", "hhb/../x", "1hb", "a" * 17, "hh-b"])
def test_bad_insurer_codes_are_refused(cfg, code):
    with pytest.raises(KeyManagementError, match="invalid"):
        keys.create_insurer_keypair(code, cfg=cfg)


# --- production registration -----------------------------------------------------------------
def test_register_public_key_holds_no_private_key(cfg):
    sk = X25519PrivateKey.generate()
    info = keys.register_public_key("shenlife", _public_pem(sk), cfg=cfg)
    assert (info.version, info.status, info.private_key_path) == (1, keys.CURRENT, None)
    assert not (cfg.insurers_dir / "shenlife").exists()
    # registering the same key again changes nothing
    assert keys.register_public_key("shenlife", _public_pem(sk), cfg=cfg) == info
    # idempotent create: returns the registered key, generates nothing
    assert keys.create_insurer_keypair("shenlife", cfg=cfg) == info
    assert not (cfg.insurers_dir / "shenlife").exists()


def test_register_new_public_key_rotates(cfg):
    a, b = X25519PrivateKey.generate(), X25519PrivateKey.generate()
    keys.register_public_key("shenlife", _public_pem(a), cfg=cfg)
    info = keys.register_public_key("shenlife", _public_pem(b), cfg=cfg)
    assert info.version == 2 and keys.current_key("shenlife", cfg).version == 2
    assert [k.status for k in keys.list_keys("shenlife", cfg)] == [keys.PREVIOUS, keys.CURRENT]


def test_register_with_explicit_version(cfg):
    info = keys.register_public_key("shenlife", _public_pem(X25519PrivateKey.generate()), cfg=cfg, version=5)
    assert info.version == 5
    with pytest.raises(KeyManagementError, match="not new"):
        keys.register_public_key("shenlife", _public_pem(X25519PrivateKey.generate()), cfg=cfg, version=5)


@pytest.mark.parametrize(
    "pem",
    [
        b"not a key",
        ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
        ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
    ],
    ids=["garbage", "ed25519", "p256"],
)
def test_register_refuses_non_x25519_keys(cfg, pem):
    with pytest.raises(KeyManagementError, match="X25519|not a PEM"):
        keys.register_public_key("shenlife", pem, cfg=cfg)


def test_rotate_is_refused_when_the_insurer_holds_its_own_keys(cfg):
    keys.register_public_key("shenlife", _public_pem(X25519PrivateKey.generate()), cfg=cfg)
    with pytest.raises(KeyManagementError, match="manages its own private keys"):
        keys.rotate("shenlife", cfg=cfg)


def test_rotate_needs_an_onboarded_insurer(cfg):
    with pytest.raises(KeyManagementError, match="no key yet"):
        keys.rotate("nobody", cfg=cfg)
    with pytest.raises(KeyManagementError, match="onboard it first"):
        keys.current_key("nobody", cfg)


# --- rotation and retirement -----------------------------------------------------------------
def test_rotation_keeps_old_ciphertexts_readable(cfg):
    keys.create_insurer_keypair("hhb", cfg=cfg)
    v1 = Encryptor.for_insurer("hhb", cfg).encrypt("张三", topic=TOPIC, record_id="r1", field="name")
    info = keys.rotate("hhb", cfg=cfg)
    assert info.version == 2 and info.status == keys.CURRENT
    v2 = Encryptor.for_insurer("hhb", cfg).encrypt("李四", topic=TOPIC, record_id="r2", field="name")
    assert (Envelope.parse(v1).version, Envelope.parse(v2).version) == (1, 2)
    dec = InsurerDecryptor.from_dir(cfg.insurers_dir / "hhb")
    assert dec.versions == [("hhb", 1), ("hhb", 2)]
    assert dec.decrypt_value(v1, TOPIC, "r1", "name") == "张三"
    assert dec.decrypt_value(v2, TOPIC, "r2", "name") == "李四"
    assert [k.version for k in keys.live_versions("hhb", cfg)] == [1, 2]


def test_a_running_encryptor_follows_rotation(cfg):
    keys.create_insurer_keypair("hhb", cfg=cfg)
    enc = Encryptor.for_insurer("hhb", cfg, max_values=1)
    assert Envelope.parse(enc.encrypt(1, topic=TOPIC, record_id="r", field="f")).version == 1
    keys.rotate("hhb", cfg=cfg)
    assert Envelope.parse(enc.encrypt(1, topic=TOPIC, record_id="r", field="f")).version == 2


def test_retire(cfg):
    keys.create_insurer_keypair("hhb", cfg=cfg)
    with pytest.raises(KeyManagementError, match="current key: rotate first"):
        keys.retire("hhb", 1, cfg=cfg)
    keys.rotate("hhb", cfg=cfg)
    info = keys.retire("hhb", 1, cfg=cfg)
    assert info.status == keys.RETIRED and info.retired_at is not None
    assert keys.retire("hhb", 1, cfg=cfg) == info  # idempotent
    assert [k.version for k in keys.live_versions("hhb", cfg)] == [2]
    with pytest.raises(KeyManagementError, match="no key version 9"):
        keys.retire("hhb", 9, cfg=cfg)


def test_retired_version_is_refused_for_encryption(cfg):
    keys.create_insurer_keypair("hhb", cfg=cfg)
    keys.rotate("hhb", cfg=cfg)
    assert Encryptor.for_insurer("hhb", cfg, version=1).version == 1  # previous: still allowed
    keys.retire("hhb", 1, cfg=cfg)
    with pytest.raises(KeyManagementError, match="version 1 of insurer hhb is retired"):
        Encryptor.for_insurer("hhb", cfg, version=1)
    with pytest.raises(KeyManagementError, match="retired"):
        keys.encryption_key("hhb", version=1, cfg=cfg)
    assert Encryptor.for_insurer("hhb", cfg).version == 2


def test_a_retired_public_key_cannot_be_registered_again(cfg):
    sk = X25519PrivateKey.generate()
    keys.register_public_key("shenlife", _public_pem(sk), cfg=cfg)
    keys.register_public_key("shenlife", _public_pem(X25519PrivateKey.generate()), cfg=cfg)
    keys.retire("shenlife", 1, cfg=cfg)
    with pytest.raises(KeyManagementError, match="retired"):
        keys.register_public_key("shenlife", _public_pem(sk), cfg=cfg)


def test_swapped_public_key_file_is_detected(cfg):
    info = keys.create_insurer_keypair("hhb", cfg=cfg)
    info.public_key_path.write_bytes(_public_pem(X25519PrivateKey.generate()))
    with pytest.raises(KeyManagementError, match="fingerprint"):
        Encryptor.for_insurer("hhb", cfg)


def test_list_keys_covers_all_insurers(cfg):
    assert keys.list_keys(cfg=cfg) == []
    keys.create_insurer_keypair("hhb", cfg=cfg)
    keys.register_public_key("shenlife", _public_pem(X25519PrivateKey.generate()), cfg=cfg)
    listed = keys.list_keys(cfg=cfg)
    assert [(k.code, k.version) for k in listed] == [("hhb", 1), ("shenlife", 1)]
    assert listed[0].to_dict()["private_key_path"] is not None
    assert listed[1].to_dict()["private_key_path"] is None


def test_concurrent_rotations_never_reuse_a_version(cfg):
    keys.create_insurer_keypair("hhb", cfg=cfg)
    threads = [threading.Thread(target=keys.rotate, args=("hhb",), kwargs={"cfg": cfg}) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    versions = [k.version for k in keys.list_keys("hhb", cfg)]
    assert versions == [1, 2, 3, 4, 5]
    assert [k.version for k in keys.list_keys("hhb", cfg) if k.status == keys.CURRENT] == [5]


# --- pipeline secrets ------------------------------------------------------------------------
def test_pipeline_secret_is_created_once(cfg):
    a = keys.pipeline_secret("pseudonym-lab", cfg)
    assert len(a) == 32 and keys.pipeline_secret("pseudonym-lab", cfg) == a
    assert keys.pipeline_secret("quarantine", cfg) != a
    path = cfg.pipeline_dir / "pseudonym-lab.key"
    assert _mode(path) == 0o600 and _mode(cfg.pipeline_dir) == 0o700


def test_pipeline_secret_is_the_same_for_concurrent_creators(cfg):
    got: list[bytes] = []
    threads = [threading.Thread(target=lambda: got.append(keys.pipeline_secret("race", cfg))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(got)) == 1 and len(got) == 8


@pytest.mark.parametrize("name", ["", "../x", "a/b", "A", ".hidden"])
def test_pipeline_secret_names_are_checked(cfg, name):
    with pytest.raises(KeyManagementError, match="invalid"):
        keys.pipeline_secret(name, cfg)


def test_corrupt_pipeline_secret_is_reported(cfg):
    keys.pipeline_secret("quarantine", cfg)
    (cfg.pipeline_dir / "quarantine.key").write_bytes(b"short")
    with pytest.raises(KeyManagementError, match="expected 32"):
        keys.pipeline_secret("quarantine", cfg)
