"""The data lab (大数据实验室): dbt marts over de-identified data, disclosure control, release.

``dbt``         run the dbt project in ``transforms/`` (build, docs) against the lab database
``simlab``      fill a lab database straight from the simulator (tests, demos; no broker)
``store``       read marts from the lab database; the release ledger
``disclosure``  the check every mart passes before it leaves the lab (k-anonymity, no identifiers)
``release``     publish a checked mart to ``insurer.<code>.marts.v1`` with one audit event

Nothing heavy is imported here: dbt, duckdb and Kafka load inside the functions that need them.
"""
