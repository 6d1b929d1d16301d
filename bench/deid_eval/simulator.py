"""Notes from the platform simulator (``medshare.simulate.notes``), as a second, independent set.

The simulator's author wrote its templates and gold spans without looking at the recognisers, so
these figures are the less flattering check. Returns None when the simulator is not installed.
"""

from __future__ import annotations

from datetime import date

from bench.deid_eval.generate import GoldSpan, LabelledNote

#: the start date :func:`medshare.simulate.notes.sample_note` uses by default
_SIM_START = date(2026, 1, 1)


def simulator_notes(n: int, seed: int) -> list[LabelledNote] | None:
    """``n`` simulator notes with their gold spans and the patient's name as the known name."""
    try:
        from medshare.simulate.notes import sample_note
        from medshare.simulate.persons import make_person
    except ImportError:
        return None
    notes = []
    for i in range(n):
        sample = sample_note(seed, i, start_date=_SIM_START)
        person = make_person(seed, i, _SIM_START)
        spans = tuple(GoldSpan(s.start, s.end, s.entity_type) for s in sample.spans)
        notes.append(LabelledNote(sample.text, spans, (person.name,), sample.note_type, source="simulator"))
    return notes
