"""The insurer SDK: whole records, key folders, standalone import, and ``medshare insurer decrypt``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from typer.testing import CliRunner

from medshare.config import Settings
from privacy import keys
from privacy.crypto import Encryptor, is_envelope
from privacy.exceptions import DecryptionError, KeyManagementError
from privacy.sdk import InsurerDecryptor, envelope_paths, generate_private_key

ROOT = Path(__file__).resolve().parents[2]
TOPIC = "insurer.hhb.claims.v1"
RECORD = {
    "setl_id": "ST2026030500000001",
    "event_type": "settlement",
    "name": "张三",
    "resident_id": "310115198401011234",
    "phone": "13800138000",
    "birth_date": "1984-01-01",
    "diagnosis_code": "E11.9",
    "items": [{"item_code": "XA01BAA001A001010100001", "item_name": "二甲双胍片", "amount": 35.2}],
    "total_amount": 35.2,
}
IDENTITY = ("name", "resident_id", "phone", "birth_date")

SK = X25519PrivateKey.generate()
ENC = Encryptor(SK.public_key(), "hhb", 1)
DEC = InsurerDecryptor({("hhb", 1): SK})


def _encrypted(record: dict = RECORD, topic: str = TOPIC) -> dict:
    out = ENC.encrypt_fields(record, IDENTITY, topic=topic)
    # a nested value, encrypted with its path as the field name
    out["items"] = [dict(out["items"][0])]
    out["items"][0]["item_name"] = ENC.encrypt(
        "二甲双胍片", topic=topic, record_id=record["setl_id"], field="items.0.item_name"
    )
    return out


def test_decrypt_record_round_trip():
    enc = _encrypted()
    assert all(is_envelope(enc[f]) for f in IDENTITY)
    assert sorted(envelope_paths(enc)) == sorted([*IDENTITY, "items.0.item_name"])
    assert DEC.decrypt_record(enc, TOPIC) == RECORD


def test_decrypt_record_leaves_plain_records_alone():
    assert DEC.decrypt_record(RECORD, TOPIC) == RECORD
    assert envelope_paths(RECORD) == []


def test_decrypt_record_names_the_field_that_failed():
    a = _encrypted()
    b = _encrypted({**RECORD, "setl_id": "ST2026030500000002"})
    a["phone"] = b["phone"]  # moved from another record
    with pytest.raises(DecryptionError, match="^field 'phone': value could not be decrypted") as info:
        DEC.decrypt_record(a, TOPIC)
    assert "138" not in str(info.value)


def test_decrypt_record_swapped_fields_fail():
    a = _encrypted()
    a["name"], a["phone"] = a["phone"], a["name"]
    with pytest.raises(DecryptionError, match="field 'name'"):
        DEC.decrypt_record(a, TOPIC)


def test_decrypt_record_on_the_wrong_topic_fails():
    with pytest.raises(DecryptionError):
        DEC.decrypt_record(_encrypted(), "insurer.hhb.marts.v1")


def test_decrypt_record_needs_a_plain_record_id():
    enc = _encrypted()
    with pytest.raises(DecryptionError, match="no id field 'note_id'"):
        DEC.decrypt_record(enc, TOPIC, record_id_field="note_id")
    enc["setl_id"] = enc["name"]
    with pytest.raises(DecryptionError, match="itself encrypted"):
        DEC.decrypt_record(enc, TOPIC)


def test_unwrapped_data_keys_are_cached():
    dec = InsurerDecryptor({("hhb", 1): SK}, cache_size=2)
    enc = Encryptor(SK.public_key(), "hhb", 1, max_values=100)
    cts = [enc.encrypt(i, topic=TOPIC, record_id="r", field="f") for i in range(250)]
    assert [dec.decrypt_value(c, TOPIC, "r", "f") for c in cts] == list(range(250))
    assert len(dec._cache) == 2  # three data keys seen, LRU keeps two


def test_from_dir_and_generate_private_key(tmp_path):
    insurer = tmp_path / "shenlife"
    pem1 = generate_private_key(insurer, 1, passphrase=b"pw")
    pem2 = generate_private_key(insurer, 2, passphrase=b"pw")
    assert (insurer / "keys" / "v1.pub").read_bytes() == pem1
    with pytest.raises(KeyManagementError, match="refusing to overwrite"):
        generate_private_key(insurer, 1)
    dec = InsurerDecryptor.from_dir(insurer, b"pw")
    assert dec.versions == [("shenlife", 1), ("shenlife", 2)]
    # the pipeline side registers the public keys the insurer sent
    cfg = Settings(home=tmp_path / "pipeline-home")
    keys.register_public_key("shenlife", pem1, cfg=cfg)
    keys.register_public_key("shenlife", pem2, cfg=cfg)
    ct = Encryptor.for_insurer("shenlife", cfg).encrypt("x", topic="t", record_id="r", field="f")
    assert ct.startswith("mse1.shenlife.2.")
    assert dec.decrypt_value(ct, "t", "r", "f") == "x"


def test_from_dir_without_keys(tmp_path):
    with pytest.raises(KeyManagementError, match="no private keys"):
        InsurerDecryptor.from_dir(tmp_path / "nobody")


def test_sdk_imports_without_medshare():
    """An insurer vendors privacy/{__init__,exceptions,crypto,sdk}.py: nothing else may load."""
    code = (
        "import sys; import privacy.sdk; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('medshare', 'contracts', 'streams', "
        "'pydantic', 'pydantic_settings', 'typer')); print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stdout + done.stderr


# --- CLI -------------------------------------------------------------------------------------
@pytest.fixture
def home(tmp_path, monkeypatch):
    """A medshare home with insurer hhb onboarded (demo key pair, passphrase-protected)."""
    from medshare.config import reload_settings

    monkeypatch.setenv("MEDSHARE_HOME", str(tmp_path))
    monkeypatch.setenv("HHB_PASS", "s3cret")
    cfg = reload_settings()
    keys.create_insurer_keypair("hhb", passphrase=b"s3cret", cfg=cfg)
    yield cfg
    monkeypatch.undo()
    reload_settings()


def _run(*args: str, input: str | None = None):
    from medshare.cli.main import app

    return CliRunner().invoke(app, list(args), input=input)


def test_cli_insurer_decrypt(home, tmp_path):
    enc = Encryptor.for_insurer("hhb", home)
    records = [enc.encrypt_fields({**RECORD, "setl_id": f"ST202603050000000{i}"}, IDENTITY, topic=TOPIC)
               for i in range(3)]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    result = _run("insurer", "decrypt", "hhb", str(path), "--passphrase-env", "HHB_PASS")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["name"] for r in out] == ["张三"] * 3
    assert out[1]["setl_id"] == "ST2026030500000001"

    # from stdin, machine-readable, one bad record
    records[1]["name"] = records[0]["name"]
    result = _run("insurer", "decrypt", "hhb", "-", "--json", "--passphrase-env", "HHB_PASS",
                  input="".join(json.dumps(r) + "\n" for r in records) + "not json\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x["ok"] for x in lines] == [True, False, True, False]
    assert lines[0]["decrypted"] == list(IDENTITY)
    assert "field 'name'" in lines[1]["error"]
    assert result.exit_code != 0 and "2 record(s)" in str(result.exception)


def test_cli_insurer_decrypt_needs_the_passphrase(home, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("{}\n")
    result = _run("insurer", "decrypt", "hhb", str(path))
    assert result.exit_code != 0 and "passphrase" in str(result.exception)
    result = _run("insurer", "decrypt", "hhb", str(path), "--passphrase-env", "NOT_SET_ANYWHERE")
    assert "NOT_SET_ANYWHERE is not set" in str(result.exception)


def test_cli_keys_list_rotate_retire(home):
    result = _run("keys", "rotate", "hhb", "--passphrase-env", "HHB_PASS")
    assert result.exit_code == 0 and "version 2 is now current" in result.stdout
    result = _run("keys", "retire", "hhb", "1")
    assert result.exit_code == 0, result.output
    result = _run("keys", "list", "--json")
    listed = json.loads(result.stdout)
    assert [(k["version"], k["status"]) for k in listed] == [(1, "retired"), (2, "current")]
    result = _run("keys", "list")
    assert "retired" in result.stdout and "hhb" in result.stdout
    result = _run("keys", "retire", "hhb", "2")
    assert result.exit_code != 0 and "rotate first" in str(result.exception)
