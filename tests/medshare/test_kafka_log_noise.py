"""kafka-python's transient metadata warning is dropped; its other warnings are not."""

from __future__ import annotations

import logging

import medshare.kafka  # noqa: F401 - installs the filter


def test_metadata_backoff_warning_is_dropped_other_warnings_kept(caplog) -> None:
    log = logging.getLogger("kafka.cluster")
    with caplog.at_level(logging.WARNING, logger="kafka.cluster"):
        log.warning("No node available for metadata refresh - backoff/retry")
        log.warning("Topic %s is not available during auto-create initialization", "x")
    messages = [r.getMessage() for r in caplog.records if r.name == "kafka.cluster"]
    assert messages == ["Topic x is not available during auto-create initialization"]
