"""What the expression budget costs: typical SOP conditions through `expressions.evaluate` as
shipped, and through the same path with the budget taken out (the evaluator as it was before
the budget), in one run, per call (parse, check and evaluate each time)."""

from __future__ import annotations

import time
from contextlib import contextmanager

from simpleeval import EvalWithCompoundTypes

from engine.runtime import expressions

DATA = {"keputusan_12": "Ya", "jumlah": 1_250_000, "berkas": ["a.pdf", "b.pdf"], "catatan": "ok"}
CONDITIONS = [
    "keputusan_12 == 'Ya'",
    "jumlah > 1000000 and len(berkas) >= 2",
    "catatan.strip().lower() in ['ok', 'sesuai'] or jumlah * 2 > 10 ** 6",
]


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
