"""make load's target line: the saturation point and the p99 at half of it, met or not."""

from __future__ import annotations

from ops.load.run import saturation_target


def _figures(rate: float, p99: int | None, found: bool = True) -> dict:
    held = {"all_ms": {"p50": 10, "p95": 20, "p99": p99} if p99 is not None else {}}
    return {
        "saturation_completions_per_s": rate,
        "saturation_found": found,
        "held": {"50%": held, "80%": held},
    }


def test_both_halves_must_hold_for_the_target_to_be_met():
    assert saturation_target(_figures(71.0, 120))["met"] is True
    slow = saturation_target(_figures(29.3, 72))
    assert (slow["met"], slow["p99_met"]) == (False, True)  # fast answers, too few of them
    late = saturation_target(_figures(80.0, 300))
    assert (late["met"], late["p99_met"]) == (False, False)


def test_a_hold_without_answers_is_not_met_and_a_lower_bound_says_so():
    empty = saturation_target(_figures(75.0, None, found=False))
    assert (empty["met"], empty["p99_met"], empty["p99_at_50_ms"]) == (False, False, None)
    assert empty["saturation_found"] is False
