"""Insurer rules run inside the platform (商保规则请进来): claims computed here, only the result leaves.

``products``   product rules as data (``contracts/products/*.yaml``), loaded with file:line errors
``rules``      the small declarative condition evaluator the products use (no ``eval``)
``engine``     pure claim computation: one settlement + the person-year accumulators -> result
``state``      the durable accumulator store and the ledger of applied settlements
``enrolment``  the event-sourced enrolment registry (who holds which product)

docs/claims.md is the reference.
"""
