"""Crypto-shredding of the quarantine (issue #20 part 2): period keys destroyed after the retention.

A record sealed under a destroyed period key cannot be opened by any means — not by the writer,
not by a fresh one, not with the legacy key; the key's bytes are nowhere under the home — while a
record of a kept period still opens. A dry run destroys nothing; a second run destroys nothing
more; the run is recorded for the compliance report; ``show`` and ``replay`` say plainly what
happened and replay exits non-zero.
"""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from contracts.exceptions import PayloadShredded, QuarantineError
from contracts.quarantine import Entry, QuarantineWriter, ReplayLedger, key_hash, replay_one
from medshare.envelope import make_headers

S = "platform.settlements.v1"
OLD = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)       # period 2026-01, ended 2026-02-01
CURRENT = datetime(2026, 5, 20, 8, 0, tzinfo=UTC)    # period 2026-05, not ended at NOW
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)        # 90 days back: 2026-03-03


def _build(writer: QuarantineWriter, when: datetime, offset: int) -> dict:
    return writer.build(raw=b'{"person_no": "3100000012345678", "broken": ', source_topic=S, partition=0,
                        offset=offset, key=b"3100000012345678",
                        headers=make_headers(S, "simulator", event_id=f"ev-{offset}"), violations=[],
                        rule="json", message="not JSON", now=when)


@pytest.fixture
def records(home_cfg, writer):
    old, cur = _build(writer, OLD, 1), _build(writer, CURRENT, 2)
    keys_dir = home_cfg.pipeline_dir / "quarantine-keys"
    return {"old": old, "current": cur, "old_key": (keys_dir / "2026-01.key").read_bytes(),
            "current_key": (keys_dir / "2026-05.key").read_bytes(), "dir": keys_dir}


def _files_containing(root, needle: bytes) -> list:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_records_name_their_period_key(records):
    assert records["old"]["key_id"] == "2026-01" and records["current"]["key_id"] == "2026-05"
    assert records["old_key"] != records["current_key"]  # independent keys
    # the same person's records do not link across periods
    assert records["old"]["source_key_hash"] != records["current"]["source_key_hash"]
    assert records["old"]["source_key_hash"] == key_hash(b"3100000012345678", records["old_key"])


def test_a_shredded_record_cannot_be_opened_by_any_means_a_current_one_can(home_cfg, writer, records):
    from medshare.retention import shred_quarantine

    assert writer.open(records["old"]).value.startswith(b'{"person_no"')
    result = shred_quarantine(home_cfg, keep_days=90, now=NOW)
    assert [k["key_id"] for k in result["shredded"]] == ["2026-01"] and result["kept"] == ["2026-05"]

    for w in (writer, QuarantineWriter(cfg=home_cfg)):
        with pytest.raises(PayloadShredded, match=r"crypto-shredded \(key 2026-01 destroyed on \d{4}-\d\d-\d\d\)"):
            w.open(records["old"])
    with pytest.raises(QuarantineError, match="could not be opened"):  # the legacy key does not open it
        QuarantineWriter(key=writer.key).open(records["old"])
    with pytest.raises(QuarantineError, match="could not be opened"):  # nor does the other period's
        QuarantineWriter(key=records["current_key"]).open(records["old"])
    # the key is gone from disk, its bytes are nowhere under the home, and it is never made again
    assert not (records["dir"] / "2026-01.key").exists()
    assert _files_containing(home_cfg.home, records["old_key"]) == []
    with pytest.raises(QuarantineError, match="destroyed"):
        _build(writer, OLD, 3)
    assert not (records["dir"] / "2026-01.key").exists()
    tomb = records["dir"] / "2026-01.shredded"
    assert stat.S_IMODE(tomb.stat().st_mode) == 0o600
    assert set(json.loads(tomb.read_text())) == {"key_id", "fingerprint", "shredded_at"}
    # the current record still opens; its metadata and the old one's reasons remain readable
    assert writer.open(records["current"]).key == b"3100000012345678"
    assert writer.shredded(records["old"]) is not None and writer.shredded(records["current"]) is None


def test_dry_run_destroys_nothing_and_records_no_run(home_cfg, writer, records):
    from medshare.retention import shred_quarantine
    from medshare.rights_report import RUNS_FILE

    before = sorted(p.name for p in records["dir"].iterdir())
    result = shred_quarantine(home_cfg, keep_days=90, now=NOW, dry_run=True)
    assert result["dry_run"] and [k["key_id"] for k in result["shredded"]] == ["2026-01"]
    assert sorted(p.name for p in records["dir"].iterdir()) == before
    assert (records["dir"] / "2026-01.key").read_bytes() == records["old_key"]
    assert writer.open(records["old"]).complete
    assert not (home_cfg.state_dir / RUNS_FILE).exists()


def test_shredding_is_idempotent_and_recorded(home_cfg, writer, records):
    from medshare.retention import shred_quarantine
    from medshare.rights_report import RUNS_FILE, collect

    first = shred_quarantine(home_cfg, keep_days=90, now=NOW)
    tomb = (records["dir"] / "2026-01.shredded").read_bytes()
    second = shred_quarantine(home_cfg, keep_days=90, now=NOW)
    assert len(first["shredded"]) == 1 and second["shredded"] == [] and second["already_shredded"] == 1
    assert (records["dir"] / "2026-01.shredded").read_bytes() == tomb  # the first date stays
    assert writer.open(records["current"]).complete
    runs = json.loads((home_cfg.state_dir / RUNS_FILE).read_text())
    assert runs["quarantine-shred"]["keep_days"] == 90 and runs["quarantine-shred"]["keys_live"] == ["2026-05"]
    assert "quarantine-shred" in collect(home_cfg, broker=False)["enforcement_runs"]
    # a shorter retention later takes the current month too once it has ended
    third = shred_quarantine(home_cfg, keep_days=0, now=NOW)
    assert [k["key_id"] for k in third["shredded"]] == ["2026-05"]
    with pytest.raises(PayloadShredded):
        writer.open(records["current"])


def test_replay_of_a_shredded_record_reports_it(home_cfg, writer, records, tmp_path):
    from medshare.retention import shred_quarantine

    shred_quarantine(home_cfg, keep_days=90, now=NOW)
    sent = []
    out = replay_one(records["old"], writer, ReplayLedger(tmp_path / "l.sqlite"), lambda *a: sent.append(a) or (0, 0))
    assert out.status == "shredded" and "crypto-shredded" in out.detail and sent == []


def test_legacy_records_without_key_id_open_with_the_legacy_key(home_cfg, writer):
    legacy = QuarantineWriter(key=writer.key).build(raw=b"{}", source_topic=S, violations=[], rule="json",
                                                     message="x", now=OLD)
    assert "key_id" not in legacy
    assert writer.open(legacy).value == b"{}"


def test_cli_shred_show_and_replay(home_cfg, writer, records, monkeypatch):
    from medshare.cli import quarantine as qcli
    from medshare.cli.main import app
    from medshare.config import reload_settings

    monkeypatch.setenv("MEDSHARE_HOME", str(home_cfg.home))
    monkeypatch.setenv("MEDSHARE_QUARANTINE_RETENTION_DAYS", "0")
    reload_settings()
    today = _build(writer, datetime.now(UTC), 9)  # this month has not ended: never shredded
    entries = [Entry(records["old"], 0, 0), Entry(today, 0, 1)]
    monkeypatch.setattr(qcli, "_entries", lambda principal: entries)
    monkeypatch.setattr("contracts.quarantine.kafka_sender", lambda **kw: _NoSend())
    runner = CliRunner()
    try:
        dry = runner.invoke(app, ["quarantine", "shred", "--keep-days", "90", "--dry-run", "--json"])
        assert dry.exit_code == 0, dry.output
        would = [k["key_id"] for k in json.loads(dry.output)["shredded"]]
        assert "2026-01" in would and today["key_id"] not in would
        assert (records["dir"] / "2026-01.key").exists()
        # the real run with the configured retention (0 days here): every ended month goes
        res = runner.invoke(app, ["quarantine", "shred"])
        assert res.exit_code == 0, res.output
        assert "destroyed quarantine key 2026-01" in res.output and "(keep 0 days)" in res.output
        assert runner.invoke(app, ["quarantine", "show", today["quarantine_id"], "--decrypt"]).exit_code == 0
        old_id = records["old"]["quarantine_id"]
        show = runner.invoke(app, ["quarantine", "show", old_id])
        assert show.exit_code == 0 and "crypto-shredded (key 2026-01 destroyed on" in show.output
        assert "json: not JSON" in show.output  # the reasons remain
        dec = runner.invoke(app, ["quarantine", "show", old_id, "--decrypt"])
        assert dec.exit_code == 1 and "crypto-shredded" in dec.output + str(dec.exception)  # UserError: printed by main()
        rep = runner.invoke(app, ["quarantine", "replay", old_id])
        assert rep.exit_code == 1 and "shredded" in rep.output and "crypto-shredded" in rep.output
        lst = runner.invoke(app, ["quarantine", "list", "--json"])
        rows = {r["quarantine_id"]: r for r in json.loads(lst.output)}
        assert rows[old_id]["rules"] == ["json"] and rows[old_id]["payload"].startswith("crypto-shredded")
    finally:
        # the session's own environment back (the test home, not none), then settings read from it:
        # deleting MEDSHARE_HOME here left later in-process CLI calls on the default home
        monkeypatch.undo()
        reload_settings()


class _NoSend:
    def __call__(self, *a):
        raise AssertionError("nothing may be sent")

    def close(self):
        pass
