"""The broker itself enforces who may read and write what (SASL/SCRAM + ACLs, deny by default)."""

from __future__ import annotations

import time

import pytest
from kafka import TopicPartition
from kafka import errors as kerr

from medshare import kafka as mk
from medshare import topics as t
from medshare.envelope import H_EVENT_ID, Outgoing, decode_value, header_map
from privacy.exceptions import KeyManagementError

pytestmark = pytest.mark.integration

AUTHZ_ERRORS = (kerr.TopicAuthorizationFailedError, kerr.GroupAuthorizationFailedError)


@pytest.fixture(scope="module")
def insurers(kafka_broker):
    from medshare.onboard import onboard_insurer

    return {code: onboard_insurer(code, cfg=kafka_broker) for code in ("ins1", "ins2")}


def _read_one(consumer, topic: str, timeout_s: float = 15.0):
    """Assign all partitions of ``topic`` from the start and return the first message polled."""
    parts = consumer.partitions_for_topic(topic) or set()
    consumer.assign([TopicPartition(topic, p) for p in parts])
    consumer.seek_to_beginning()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=500).values():
            if records:
                return records[0]
    return None


def _consume_as(bundle_or_principal, topic: str, group: str | None, cfg):
    """Read ``topic`` from the start and commit in ``group``; the broker's error propagates.

    Assigns the partition directly (a subscription to an unauthorised topic is only logged by
    kafka-python 3), then commits an offset, so both the topic's and the group's ACLs are exercised.
    """
    from kafka import KafkaConsumer, OffsetAndMetadata

    b = bundle_or_principal if isinstance(bundle_or_principal, dict) else mk.bundle(bundle_or_principal, cfg)
    c = KafkaConsumer(group_id=group, enable_auto_commit=False, **mk.client_config(b))
    try:
        # an unauthorised topic has no partition metadata: assign partition 0 blindly then
        tps = [TopicPartition(topic, p) for p in sorted(c.partitions_for_topic(topic) or {0})]
        tp = tps[0]
        c.assign(tps)
        c.seek_to_beginning()
        got = None
        deadline = time.monotonic() + 10
        while got is None and time.monotonic() < deadline:
            for records in c.poll(timeout_ms=500).values():
                got = got or records[0]
            # kafka-python 3 keeps the broker's TOPIC_AUTHORIZATION_FAILED (error 29 in the Metadata
            # response) in its cluster view and only logs it; surface it as the error it is
            if topic in c._cluster.unauthorized_topics:
                raise kerr.TopicAuthorizationFailedError(topic)
        if group is not None:
            c.commit({TopicPartition(got.topic, got.partition) if got else tp:
                      OffsetAndMetadata(got.offset + 1 if got else 0, "", -1)})
        return got
    finally:
        c.close()


def test_scram_round_trip_platform_to_pipeline(kafka_broker, unique):
    """The platform principal publishes; the pipeline principal reads it back, headers intact."""
    record = {"settlement_id": f"ST-roundtrip-{unique}", "total_amount": 12.5, "name": "测试"}
    prod = mk.producer("platform", cfg=kafka_broker)
    try:
        msg = Outgoing.record(t.PLATFORM_SETTLEMENTS, record, key=f"p-{unique}", producer="test",
                              event_id=unique)
        meta = prod.send(msg.topic, value=msg.value, key=msg.key, headers=msg.headers).get(timeout=30)
    finally:
        prod.close()
    c = mk.consumer("pipeline", None, cfg=kafka_broker)
    try:
        c.assign([TopicPartition(meta.topic, meta.partition)])
        c.seek(TopicPartition(meta.topic, meta.partition), meta.offset)
        got = None
        deadline = time.monotonic() + 15
        while got is None and time.monotonic() < deadline:
            for records in c.poll(timeout_ms=500).values():
                got = records[0]
    finally:
        c.close()
    assert got is not None, "the pipeline did not receive the platform's message"
    assert decode_value(got.value) == record
    assert header_map(got.headers)[H_EVENT_ID] == unique


def test_wrong_password_is_refused(kafka_broker):
    b = mk.bundle("pipeline", kafka_broker)
    b["password"] = "not-the-password"
    from kafka import KafkaConsumer

    with pytest.raises(kerr.KafkaError) as info:
        c = KafkaConsumer(**mk.client_config(b), bootstrap_timeout_ms=8000, request_timeout_ms=8000)
        try:
            c.topics()
        finally:
            c.close()
    assert "auth" in repr(info.value).lower() or "bootstrap" in repr(info.value).lower()


def test_platform_cannot_read_anything(kafka_broker, insurers, unique):
    for topic in (t.PLATFORM_SETTLEMENTS, t.insurer_claims("ins1")):
        with pytest.raises(AUTHZ_ERRORS):
            _consume_as("platform", topic, f"medshare-{unique}", kafka_broker)


def test_platform_cannot_write_insurer_topics(kafka_broker, insurers):
    prod = mk.producer("platform", cfg=kafka_broker, max_block_ms=10000)
    try:
        with pytest.raises(kerr.KafkaError):
            prod.send(t.insurer_claims("ins1"), value=b"{}").get(timeout=15)
    finally:
        prod.close()


def test_insurer_reads_own_topic_only(kafka_broker, insurers, unique):
    # the pipeline writes one record to each insurer's claims topic
    prod = mk.producer("pipeline", cfg=kafka_broker)
    try:
        for code in insurers:
            prod.send(t.insurer_claims(code), value=f'{{"for":"{code}"}}'.encode(), key=b"k").get(timeout=30)
    finally:
        prod.close()
    a, b = insurers["ins1"], insurers["ins2"]
    own = _consume_as(a, t.insurer_claims("ins1"), f"{a['group_prefix']}{unique}", kafka_broker)
    assert own is not None and decode_value(own.value)["for"] == "ins1"
    # another insurer's topic and a platform topic: the broker refuses (not a client-side check)
    with pytest.raises(AUTHZ_ERRORS):
        _consume_as(a, t.insurer_claims("ins2"), f"{a['group_prefix']}{unique}", kafka_broker)
    with pytest.raises(AUTHZ_ERRORS):
        _consume_as(a, t.PLATFORM_SETTLEMENTS, f"{a['group_prefix']}{unique}", kafka_broker)
    # another insurer's consumer groups are refused too
    with pytest.raises(AUTHZ_ERRORS):
        _consume_as(a, t.insurer_claims("ins1"), f"{b['group_prefix']}{unique}", kafka_broker)


def test_insurer_topic_read_without_group_is_refused_for_other_insurer(kafka_broker, insurers):
    """Even assigning partitions directly (no group) is refused by the broker for a foreign topic."""
    with pytest.raises(kerr.TopicAuthorizationFailedError):
        _consume_as(insurers["ins2"], t.insurer_claims("ins1"), None, kafka_broker)


def test_onboarding_is_idempotent(kafka_broker, insurers):
    from medshare.onboard import onboard_insurer

    again = onboard_insurer("ins1", cfg=kafka_broker)
    assert again["password"] == insurers["ins1"]["password"]
    assert again["topics"] == {"claims": "insurer.ins1.claims.v1", "marts": "insurer.ins1.marts.v1",
                               "erasure": "insurer.ins1.erasure.v1", "erasure-acks": "insurer.ins1.erasure-acks.v1"}
    assert again["key_version"] == insurers["ins1"]["key_version"]


def test_onboarding_with_the_insurers_own_public_key(kafka_broker, tmp_path):
    """Production path: the insurer keeps its private key; the pipeline only ever sees the public one."""
    import shutil

    from medshare.onboard import onboard_insurer
    from privacy.crypto import Encryptor
    from privacy.sdk import InsurerDecryptor, generate_private_key

    for d in (kafka_broker.insurers_dir, kafka_broker.keyring_dir):  # a kept test home's earlier run
        shutil.rmtree(d / "ins3", ignore_errors=True)
    insurer_side = tmp_path / "ins3-own-systems"
    public_pem = generate_private_key(insurer_side, 1)
    pub = tmp_path / "ins3.pub"
    pub.write_bytes(public_pem)
    b = onboard_insurer("ins3", public_key=pub, cfg=kafka_broker)
    assert b["private_key_dir"] is None
    assert not list((kafka_broker.insurers_dir / "ins3").glob("keys/*.key")), "no private key on the pipeline side"
    ct = Encryptor.for_insurer("ins3", kafka_broker).encrypt("张三", topic=b["topics"]["claims"],
                                                              record_id="ST1", field="name")
    dec = InsurerDecryptor.from_dir(insurer_side, key_id="ins3")
    assert dec.decrypt_value(ct, b["topics"]["claims"], "ST1", "name") == "张三"

    # a new key pair sent as the SDK names it (v1.pub) while the keyring is at version 1: refused,
    # naming the version to generate, instead of a version the insurer's key file does not carry
    generate_private_key(tmp_path / "again", 1)
    with pytest.raises(KeyManagementError, match="as version 2"):
        onboard_insurer("ins3", public_key=tmp_path / "again" / "keys" / "v1.pub", cfg=kafka_broker)
    assert b["key_version"] == 1


def test_enrolments_are_published_by_the_platform_only(kafka_broker, insurers, unique):
    """platform.enrolments.v1: the platform writes, the pipeline reads; an insurer may do neither
    (on a shared topic the broker could not tie a record's insurer_code to the insurer that wrote it)."""
    from kafka import KafkaProducer

    prod = mk.producer("platform", cfg=kafka_broker)
    try:
        msg = Outgoing.record(t.PLATFORM_ENROLMENTS, {"event_id": f"EE-{unique}"}, key=f"p-{unique}",
                              producer="test", event_id=f"EE-{unique}")
        prod.send(msg.topic, value=msg.value, key=msg.key, headers=msg.headers).get(timeout=30)
    finally:
        prod.close()
    got = _consume_as("pipeline", t.PLATFORM_ENROLMENTS, f"medshare-{unique}", kafka_broker)
    assert got is not None
    ins = insurers["ins1"]
    p = KafkaProducer(**mk.client_config(ins), max_block_ms=10000, enable_idempotence=False)
    try:
        with pytest.raises(kerr.TopicAuthorizationFailedError):
            p.send(t.PLATFORM_ENROLMENTS, value=b"{}", key=b"k").get(timeout=15)
    finally:
        p.close()
    with pytest.raises(AUTHZ_ERRORS):
        _consume_as(ins, t.PLATFORM_ENROLMENTS, f"{ins['group_prefix']}{unique}", kafka_broker)
