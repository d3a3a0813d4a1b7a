"""What conditions cost: typical SOP conditions through `expressions.evaluate` as shipped and
with the budget taken out (the evaluator as it was before the budget), one condition written
in Python, JUEL and FEEL, and one DMN decision (the office's who-signs table, all its cells under
one budget); in one run, per call (translation is cached as parsing is)."""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

from simpleeval import EvalWithCompoundTypes

from engine.bpmn.dmn import read_dmn
from engine.runtime import decisions, expressions

DATA = {"keputusan_12": "Ya", "jumlah": 1_250_000, "berkas": ["a.pdf", "b.pdf"], "catatan": "ok"}
CONDITIONS = [
    "keputusan_12 == 'Ya'",
    "jumlah > 1000000 and len(berkas) >= 2",
    "catatan.strip().lower() in ['ok', 'sesuai'] or jumlah * 2 > 10 ** 6",
]
DIALECTS = {
    "python": "keputusan_12 == 'Ya' and jumlah > 1000000 and len(berkas) >= 2",
    "juel": "${keputusan_12 == 'Ya' && jumlah > 1000000 && berkas.size() >= 2}",
    "feel": '=keputusan_12 = "Ya" and jumlah > 1000000 and count(berkas) >= 2',
}

DECISION_FILE = Path(__file__).resolve().parents[1] / "tests" / "data" / "dmn" / "penandatangan.dmn"
DECISION_DATA = {"jenis_dokumen": "SPJ", "jumlah": 750_000_000}


class _Unbudgeted(EvalWithCompoundTypes):
    """simpleeval as the evaluator used it before the budget: no counting, no weighing."""

    def __init__(self, budget, **kwargs):
        super().__init__(**kwargs)


@contextmanager
def _without_budget():
    shipped = expressions._BudgetedEval
    expressions._BudgetedEval = _Unbudgeted
    try:
        yield
    finally:
        expressions._BudgetedEval = shipped


def _per_call_ms(condition: str, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        expressions.evaluate(condition, DATA)
    return (time.perf_counter() - started) / calls * 1e3


def run(emit, calls: int) -> None:
    for condition in CONDITIONS:
        with _without_budget():
            before = _per_call_ms(condition, calls)
        after = _per_call_ms(condition, calls)
        emit(
            {
                "figure": "expression_eval_ms",
                "value": round(after, 4),
                "unit": "ms",
                "db": "memory",
                "without_budget_ms": round(before, 4),
                "condition": condition,
                "calls": calls,
            }
        )
    for dialect, condition in DIALECTS.items():
        assert expressions.evaluate(condition, DATA) is True
        emit(
            {
                "figure": "condition_eval_ms",
                "value": round(_per_call_ms(condition, calls), 4),
                "unit": "ms",
                "db": "memory",
                "dialect": dialect,
                "condition": condition,
                "calls": calls,
            }
        )
    _decision(emit, calls)


def _decision(emit, calls: int) -> None:
    (table,) = read_dmn(DECISION_FILE).decisions
    assert decisions.decide(table, DECISION_DATA, "singleResult").value == {
        "penandatangan": "Kepala Dinas",
        "paraf": "Sekretaris",
    }
    started = time.perf_counter()
    for _ in range(calls):
        decisions.decide(table, DECISION_DATA, "singleResult")
    emit(
        {
            "figure": "decision_eval_ms",
            "value": round((time.perf_counter() - started) / calls * 1e3, 4),
            "unit": "ms",
            "db": "memory",
            "decision": table.id,
            "hit_policy": table.hit_policy,
            "rules": len(table.rules),
            "inputs": len(table.inputs),
            "calls": calls,
        }
    )
