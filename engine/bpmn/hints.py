"""What to do about a refusal SpiffWorkflow words as a fact: one hint per known message."""

from __future__ import annotations

_HINTS = (
    (
        "Non-default exclusive outgoing sequence flow without condition",
        "give the flow a condition, or make it the gateway's default flow",
    ),
    (
        "Exactly one start event is required in a SubWorkflow Task",
        "draw one start event inside the subprocess (where it begins)",
    ),
    (
        "must specify a cardinality or a collection",
        "set Loop cardinality or Collection in the task's multi-instance properties, or remove "
        "the multi-instance marker",
    ),
    (
        "Unknown Time Specification",
        "write the timer as ISO 8601 (P3D, 2027-01-31T09:00, R3/PT1H) in Timer definition",
    ),
    (
        "Could not find a call activity or process",
        "deploy the called process with this file, or name its process id in Called element",
    ),
)


def spiff_hint(message: str) -> str | None:
    """What the analyst can change for a SpiffWorkflow refusal (None when none is known)."""
    return next((hint for known, hint in _HINTS if known in message), None)
