"""Data contracts: one ODCS v3 contract per topic and lab table (``contracts/odcs/``).

One contract drives the fast per-record check on the stream hot path (:mod:`contracts.validator`),
the Great Expectations suites on lab tables (:mod:`contracts.gx`), quarantine of what fails
(:mod:`contracts.quarantine`) and the breaking-change gate (:mod:`contracts.diff`). Load contracts
with :mod:`contracts.registry`; identifier formats live in :mod:`contracts.formats`.
"""
