"""What an insurer's claims system does: connect with its own bundle, read, decrypt.

Uses only what the insurer is handed at onboarding — its SCRAM user and password, its topic
names, its group prefix — and its own private keys; nothing of the pipeline's credentials.
Reads with ``isolation_level=read_committed`` so records of aborted router transactions are
never seen.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from medshare.envelope import header_map

#: the record id field of each kind of record on a claims topic
_ID_FIELDS = ("setl_id", "note_id", "claim_id", "release_id")


#: ``record_type`` of the claims engine's results (docs/claims.md); ``ms-source`` header it sets
CLAIM_RESULT = "claim-result"
CLAIMS_ENGINE = "claims-engine"


def record_id_field(record: dict[str, Any], source: str | None = None) -> str:
    """The field whose value is bound into the record's ciphertexts.

    A claim result's envelopes are bound to its ``claim_id`` (it carries a ``settlement_id`` too,
    so it must be recognised first: by its ``record_type``, or the ``ms-source`` header); a note's
    to its ``note_id``; the router's settlement records to their ``setl_id``, its 2208 revocations to
    ``revoke.setl_id``.
    """
    if record.get("record_type") == CLAIM_RESULT or (source == CLAIMS_ENGINE and "claim_id" in record):
        return "claim_id"
    if (source and source.endswith("emr-notes.v1")) or "note_id" in record:
        return "note_id"
    if isinstance(record.get("revoke"), dict):
        return "revoke.setl_id"
    return next((f for f in _ID_FIELDS if f in record), "setl_id")


def consume(
    bundle: dict[str, Any],
    which: str = "claims",
    max_records: int | None = None,
    group_suffix: str = "claims-reader",
    from_beginning: bool = True,
    timeout_s: float = 10.0,
    key_dir: Path | None = None,
    passphrase: bytes | None = None,
    decrypt: bool = True,
) -> Iterator[dict[str, Any]]:
    """Yield ``{"topic","partition","offset","key","headers","record"}`` with identity decrypted.

    Stops after ``max_records`` or when nothing arrives for ``timeout_s`` seconds.
    """
    from kafka import KafkaConsumer

    from medshare.kafka import client_config
    from privacy.sdk import InsurerDecryptor

    topic = bundle["topics"][which]
    decryptor = None
    if decrypt:
        kd = key_dir or (Path(bundle["private_key_dir"]).parent if bundle.get("private_key_dir") else None)
        if kd is None:
            raise FileNotFoundError("no private key folder: pass key_dir (the folder holding keys/v<N>.key)")
        decryptor = InsurerDecryptor.from_dir(kd, passphrase=passphrase)
    consumer = KafkaConsumer(
        topic,
        group_id=f"{bundle['group_prefix']}{group_suffix}",
        enable_auto_commit=False,
        auto_offset_reset="earliest" if from_beginning else "latest",
        isolation_level="read_committed",
        **client_config(bundle),
    )
    n = 0
    try:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            polled = consumer.poll(timeout_ms=500)
            for records in polled.values():
                for m in records:
                    rec = json.loads(m.value)
                    headers = header_map(m.headers)
                    if decryptor is not None:
                        rec = decryptor.decrypt_record(
                            rec, topic, record_id_field=record_id_field(rec, headers.get("ms-source")))
                    yield {"topic": m.topic, "partition": m.partition, "offset": m.offset,
                           "key": m.key.decode() if m.key else None, "headers": headers, "record": rec}
                    n += 1
                    if max_records is not None and n >= max_records:
                        consumer.commit()
                        return
            if polled:
                consumer.commit()
                deadline = time.monotonic() + timeout_s
    finally:
        consumer.close()


def acknowledge_erasures(bundle: dict[str, Any], erase=None, group_suffix: str = "erasure") -> list[dict[str, Any]]:
    """Read the insurer's erasure requests (up to the current end), erase, and acknowledge each.

    ``erase(request)`` deletes the records the request names (``request["records"]``: audit id,
    record id, dataset) from the insurer's own systems and returns the audit ids it deleted (None:
    all of them). Each acknowledgement goes to ``insurer.<code>.erasure-acks.v1`` — the one topic the
    insurer may write — and the pipeline logs it in the disclosure log (``kind: erasure-ack``).
    Reads to the end offsets taken at the start, so it stops without waiting on a timeout.
    Returns the acknowledgements sent.
    """
    from datetime import UTC, datetime

    from kafka import KafkaConsumer, KafkaProducer, TopicPartition

    from medshare.kafka import client_config

    topic, acks_topic = bundle["topics"]["erasure"], bundle["topics"]["erasure-acks"]
    consumer = KafkaConsumer(group_id=f"{bundle['group_prefix']}{group_suffix}", enable_auto_commit=False,
                             auto_offset_reset="earliest", isolation_level="read_committed",
                             **client_config(bundle))
    producer = KafkaProducer(acks="all", **client_config(bundle))
    sent: list[dict[str, Any]] = []
    try:
        tps = [TopicPartition(topic, p) for p in (consumer.partitions_for_topic(topic) or ())]
        if not tps:
            return sent
        consumer.assign(tps)
        ends = consumer.end_offsets(tps)
        for tp in tps:
            pos = consumer.committed(tp)
            if pos is None:
                consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, pos)
        while any(consumer.position(tp) < ends[tp] for tp in tps):
            for msgs in consumer.poll(timeout_ms=1000).values():
                for m in msgs:
                    req = json.loads(m.value)
                    erased = erase(req) if erase is not None else None
                    if erased is None:
                        erased = [r["audit_id"] for r in req["records"]]
                    ack = {"request_id": req["request_id"], "insurer": bundle["insurer"], "erased": sorted(erased),
                           "acked_at": datetime.now(UTC).astimezone().isoformat(timespec="seconds")}
                    producer.send(acks_topic, key=req["request_id"].encode(),
                                  value=json.dumps(ack, ensure_ascii=False, sort_keys=True).encode())
                    sent.append(ack)
        producer.flush()
        consumer.commit()  # only after the acknowledgements are on the broker
        return sent
    finally:
        producer.close()
        consumer.close()
