"""Helpers for end-to-end tests: reset the broker's topics and state, read topics whole."""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from collections.abc import Iterable
from typing import Any

from medshare import acls
from medshare import kafka as mk
from medshare.config import Settings

INSURERS = ("hhb", "shenlife")


def reset_pipeline(cfg: Settings, insurers: Iterable[str] = INSURERS, *, keep_topics: tuple[str, ...] = (),
                   wipe: tuple[str, ...] = ("state", "lab", "sim", "pipeline"), timeout_s: float = 60) -> None:
    """Delete every topic and the processors' consumer groups, wipe local state, recreate topics.

    ``keep_topics``: name prefixes of topics to keep (e.g. ``platform.``: rerun the processors over
    the same published records); ``wipe``: the home's folders to remove (leave out ``pipeline`` to
    keep the pipeline's keys, so a second run's pseudonyms equal the first's).
    """
    from kafka.errors import CoordinatorLoadInProgressError, CoordinatorNotAvailableError

    client = mk.admin(cfg=cfg)
    try:
        deadline = time.monotonic() + max(timeout_s, 90)
        while True:  # a restarted broker's group coordinator may still be loading its offsets
            try:
                groups = [g["group_id"] for g in client.list_groups()
                          if g["group_id"].startswith(("medshare-", "insurer-"))]
                if groups:
                    client.delete_groups(groups)
                break
            except (CoordinatorLoadInProgressError, CoordinatorNotAvailableError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        names = [n for n in client.list_topics() if not n.startswith(("__", *keep_topics))]
        if names:
            client.delete_topics(names)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            left = [n for n in client.list_topics() if n in names]
            if not left:
                break
            time.sleep(0.5)
    finally:
        client.close()
    for sub in wipe:
        shutil.rmtree(cfg.home / sub, ignore_errors=True)
    # topics may take a moment to be creatable again after deletion
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            acls.ensure_core(cfg)
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
    from medshare.onboard import onboard_insurer

    for code in insurers:
        onboard_insurer(code, cfg=cfg)


def run_until_idle(handler: Any, cfg: Settings) -> dict[str, Any]:
    """Run one processor instance in-process until it is caught up; its counters."""
    from streams.runtime import Runner, RunOptions

    return Runner(handler, RunOptions(until_idle=True, idle_s=1.5), cfg).run().__dict__


def read_topic(cfg: Settings, topic: str, principal: str = "admin", committed_only: bool = True) -> list[Any]:
    """Every message of ``topic`` (read_committed by default), from the beginning to the end offsets."""
    from kafka import TopicPartition

    c = mk.consumer(principal, None, cfg=cfg,
                    isolation_level="read_committed" if committed_only else "read_uncommitted")
    try:
        parts = [TopicPartition(topic, p) for p in (c.partitions_for_topic(topic) or [])]
        if not parts:
            return []
        c.assign(parts)
        c.seek_to_beginning()
        ends = c.end_offsets(parts)
        out: list[Any] = []
        deadline = time.monotonic() + 60
        while any(c.position(tp) < ends[tp] for tp in parts) and time.monotonic() < deadline:
            for records in c.poll(timeout_ms=500).values():
                out.extend(records)
        return out
    finally:
        c.close()


def values(messages: Iterable[Any]) -> list[dict[str, Any]]:
    return [json.loads(m.value) for m in messages]


def disclosure_id(topic: str, record: dict[str, Any]) -> str:
    """The id of a record on an insurer topic and in its audit event: ``note_id``, ``setl_id``, or
    ``<setl_id>-R`` for a 2208 revocation."""
    if "note_id" in record:
        return record["note_id"]
    if isinstance(record.get("revoke"), dict):
        return f"{record['revoke']['setl_id']}-R"
    return record["setl_id"]


def _consents_as_of(events: list[tuple[int, dict[str, Any]]], timestamp: int) -> tuple[dict[str, Any], set[str]]:
    """(grants by consent id, revoked consent ids) of one person's consent events published by ``timestamp``."""
    grants: dict[str, dict[str, Any]] = {}
    revoked: set[str] = set()
    for ts, c in sorted(events, key=lambda x: x[0]):
        if ts > timestamp:
            break
        if c["action"] == "grant":
            grants[c["consent_id"]] = c
        else:
            revoked.add(c["consent_id"])
    return grants, revoked


def expected_disclosures(cfg: Settings, events: Iterable[Any]) -> set[tuple[str, str, str]]:
    """(insurer, source topic, record id) the router must disclose, from the platform topics as published.

    Written from the rule, not from the router's code: a consent event counts for a record iff it
    was published at or before the record (Kafka timestamps; the consent first on a tie); a
    revocation counts from its own publish time on; an amended grant's latest terms published by
    then apply. ``events`` (the simulator's) tell which published values are valid records.
    """
    from collections import defaultdict
    from datetime import datetime

    from medshare import topics as t
    from privacy.agreements import load_agreements

    valid = {ev.value for ev in events if ev.malformed is None}
    agreements = load_agreements()
    by_person: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for m in read_topic(cfg, t.PLATFORM_CONSENTS):
        if m.value in valid:
            r = json.loads(m.value)
            by_person[r["person_no"]].append((m.timestamp, r))
    from medshare.platform_records import event_time, is_revocation, psn_no

    expected = set()
    for topic in (t.PLATFORM_SETTLEMENTS, t.PLATFORM_EMR_NOTES):
        for m in read_topic(cfg, topic):
            if m.value not in valid:
                continue
            r = json.loads(m.value)
            at = event_time(r, m.timestamp * 1000)  # a 2208 revocation: its publish time
            revocation = is_revocation(r)
            grants, revoked = _consents_as_of(by_person[psn_no(r)], m.timestamp)
            for ref in agreements.grants("claims", source=topic):
                if ref.grant.mode != "detail":  # a result grant: only claim results leave (not the router's)
                    continue
                if revocation and not any(p.startswith("revoke.") for p in ref.grant.output_fields):
                    continue
                if not agreements.for_insurer(ref.insurer).in_effect(at):
                    continue
                for cid, g in grants.items():
                    if (cid not in revoked and g["insurer_code"] == ref.insurer and g["purpose"] == "claims"
                            and datetime.fromisoformat(g["valid_from"]) <= at < datetime.fromisoformat(g["valid_to"])
                            and set(ref.grant.consent_categories) <= set(g["data_categories"])):
                        expected.add((ref.insurer, topic, disclosure_id(topic, r)))
                        break
    return expected


def disclosed(cfg: Settings, insurers: Iterable[str] = INSURERS) -> Counter[tuple[str, str, str]]:
    """(insurer, source topic, record id) of every record on the insurers' claims topics (read_committed), counted."""

    from medshare import topics as t

    got: Counter[tuple[str, str, str]] = Counter()
    for code in insurers:
        for m in read_topic(cfg, t.insurer_claims(code)):
            rec = json.loads(m.value)
            source = dict((k, v.decode()) for k, v in m.headers).get("ms-source", "")
            if rec.get("record_type") == "claim-result":
                got[(code, "claims-engine", rec["claim_id"])] += 1
            else:
                got[(code, source, disclosure_id(source, rec))] += 1
    return got
