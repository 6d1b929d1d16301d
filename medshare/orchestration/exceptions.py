"""The few errors the orchestration raises; each says which step failed and why."""

from __future__ import annotations

from typing import Any


class OrchestrationError(RuntimeError):
    """A scheduled step could not do its work (missing batch, broker refused a send, ...)."""


class BatchNotFoundError(OrchestrationError, FileNotFoundError):
    """The platform's batch snapshot has no partition for the requested day."""


class LabValidationError(OrchestrationError):
    """Lab tables failed critical Great Expectations expectations; ``runs`` are the TableRuns."""

    def __init__(self, runs: list[Any]) -> None:
        self.runs = runs
        lines = []
        for run in runs:
            for o in run.failed:
                if o.severity != "critical":
                    continue
                detail = f" ({o.unexpected_count} rows)" if o.unexpected_count else ""
                keys = ", ".join("/".join(f"{k}={v}" for k, v in key.items()) for key in o.sample_keys[:5])
                lines.append(f"{run.table}: {o.expectation} on {o.column or '(table)'} [rule {o.rule}]"
                             f"{detail}{': ' + keys if keys else ''}")
        failed_tables = sorted({r.table for r in runs if not r.success})
        super().__init__(f"lab validation failed for {', '.join(failed_tables)}: {len(lines)} critical "
                         "expectation(s) failed:\n  " + "\n  ".join(lines))
