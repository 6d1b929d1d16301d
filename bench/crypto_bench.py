"""Field-encryption throughput on a typical settlement's five identity fields.

    python -m bench.crypto_bench [--records 20000] [--max-values 10000] [--json]

Prints encryptions per second (pipeline side, :class:`privacy.crypto.Encryptor`), decryptions per
second (insurer side, :class:`privacy.sdk.InsurerDecryptor`), the cost of one data-key wrap and
unwrap (HPKE X25519), and the size of the ciphertexts. One core, in-process, no Kafka.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from privacy.crypto import Encryptor, wrap_data_key
from privacy.sdk import InsurerDecryptor

TOPIC = "insurer.shenlife.claims.v1"
#: the direct identifiers of a platform.settlements.v2 record (docs/platform-interface.md)
RECORD = {
    "setl_id": "ST2026030500000001",
    "psn_no": "3100123456789012",
    "psn_name": "欧阳建国",
    "certno": "31011519840305123X",
    "brdy": "1984-03-05",
}
FIELDS = ("psn_no", "psn_name", "certno", "brdy")


def _rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def run(records: int, max_values: int) -> dict[str, float | int]:
    sk = X25519PrivateKey.generate()
    enc = Encryptor(sk.public_key(), "hhb", 1, max_values=max_values, max_seconds=3600)
    dec = InsurerDecryptor({("hhb", 1): sk})

    out = []
    t0 = time.perf_counter()
    for i in range(records):
        rec = dict(RECORD, setl_id=f"ST20260305{i:08d}")
        out.append(enc.encrypt_fields(rec, FIELDS, topic=TOPIC))
    t_enc = time.perf_counter() - t0

    t0 = time.perf_counter()
    for rec in out:
        dec.decrypt_record(rec, TOPIC)
    t_dec = time.perf_counter() - t0

    wraps = []
    for _ in range(200):
        s = time.perf_counter()
        wrap_data_key(b"\0" * 32, sk.public_key(), "hhb", 1)
        wraps.append(time.perf_counter() - s)
    cold = []
    for _ in range(200):  # a fresh data key each time: unwrap + decrypt
        e1 = Encryptor(sk.public_key(), "hhb", 1)
        ct = e1.encrypt("x", topic=TOPIC, record_id="r", field="f")
        d1 = InsurerDecryptor({("hhb", 1): sk})
        s = time.perf_counter()
        d1.decrypt_value(ct, TOPIC, "r", "f")
        cold.append(time.perf_counter() - s)

    plain = sum(len(json.dumps(RECORD[f], ensure_ascii=False).encode()) for f in FIELDS)
    cipher = sum(len(out[0][f]) for f in FIELDS)
    fields = records * len(FIELDS)
    return {
        "records": records,
        "fields": fields,
        "data_keys": enc.data_keys_made,
        "encrypt_fields_per_s": round(_rate(fields, t_enc)),
        "encrypt_records_per_s": round(_rate(records, t_enc)),
        "decrypt_fields_per_s": round(_rate(fields, t_dec)),
        "decrypt_records_per_s": round(_rate(records, t_dec)),
        "wrap_us_median": round(statistics.median(wraps) * 1e6, 1),
        "unwrap_and_decrypt_us_median": round(statistics.median(cold) * 1e6, 1),
        "plaintext_bytes_5_fields": plain,
        "ciphertext_chars_5_fields": cipher,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=20000)
    ap.add_argument("--max-values", type=int, default=10000, help="values per data key")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    r = run(args.records, args.max_values)
    if args.json:
        print(json.dumps(r))
        return
    print(f"{r['records']} records x {len(FIELDS)} identity fields ({', '.join(FIELDS)}), "
          f"{r['data_keys']} data key(s)")
    print(f"encrypt: {r['encrypt_fields_per_s']:>9,} fields/s  {r['encrypt_records_per_s']:>8,} records/s")
    print(f"decrypt: {r['decrypt_fields_per_s']:>9,} fields/s  {r['decrypt_records_per_s']:>8,} records/s")
    print(f"data-key wrap (HPKE X25519): {r['wrap_us_median']} us; "
          f"first decrypt under a new data key (unwrap + open): {r['unwrap_and_decrypt_us_median']} us")
    print(f"size of the {len(FIELDS)} fields: {r['plaintext_bytes_5_fields']} bytes plain -> "
          f"{r['ciphertext_chars_5_fields']} chars encrypted")


if __name__ == "__main__":
    main()
