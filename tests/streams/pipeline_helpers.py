"""Helpers for end-to-end tests: reset the broker's topics and state, read topics whole."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterable
from typing import Any

from medshare import acls
from medshare import kafka as mk
from medshare.config import Settings

INSURERS = ("hhb", "shenlife")


def reset_pipeline(cfg: Settings, insurers: Iterable[str] = INSURERS) -> None:
    """Delete every topic and the processors' consumer groups, wipe local state, recreate topics."""
    client = mk.admin(cfg=cfg)
    try:
        groups = [g["group_id"] for g in client.list_groups()
                  if g["group_id"].startswith(("medshare-", "insurer-"))]
        if groups:
            client.delete_groups(groups)
        names = [n for n in client.list_topics() if not n.startswith("__")]
        if names:
            client.delete_topics(names)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            left = [n for n in client.list_topics() if n in names]
            if not left:
                break
            time.sleep(0.5)
    finally:
        client.close()
    for sub in ("state", "lab", "sim", "pipeline"):
        shutil.rmtree(cfg.home / sub, ignore_errors=True)
    # topics may take a moment to be creatable again after deletion
    deadline = time.monotonic() + 60
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
