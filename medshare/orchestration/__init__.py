"""What the Airflow DAGs in ``dags/`` run: extract, lab load + validation, key rotation.

The DAG files only wire; the work is here, callable from a test or the CLI without Airflow.
``tasks`` is the thin Airflow-facing layer (data interval in, Airflow exceptions out); the other
modules know nothing of Airflow. Nothing here connects to anything when imported.
"""
