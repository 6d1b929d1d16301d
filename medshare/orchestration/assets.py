"""The Airflow Assets the DAGs produce and are scheduled on (importable at DAG parse time)."""

from __future__ import annotations

from airflow.sdk import Asset

#: updated by ``lab_load`` once the lab tables are loaded and validated; schedules ``lab_transform``
LAB_SETTLEMENTS = Asset("medshare://lab/lab_settlements")
LAB_EMR_NOTES = Asset("medshare://lab/lab_emr_notes")
#: updated by ``lab_transform`` when the dbt marts were rebuilt; schedules ``release_marts``
MARTS = Asset("medshare://lab/marts")
