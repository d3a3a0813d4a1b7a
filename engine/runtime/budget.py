"""What one expression or script may cost: operations, the size of every value, wall time.

The safe evaluator refuses what could escape (imports, attributes, comprehensions); the budget
bounds what it accepts. Every AST node evaluated is one operation; every value a node yields is
weighed (characters of a string, items of a container counted deeply, 64-bit words of an int)
before the next node may use it; a clock stops a run that takes too long between nodes. The
few operations that could blow up inside one call (powers, rounding to huge digit counts) are
checked before they run.
"""

from __future__ import annotations

import operator
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_OPERATIONS = 5_000  # AST nodes evaluated by one expression or one whole script
MAX_WEIGHT = 100_000  # characters / items (deep) / 64-bit words in any one value
MAX_INT_BITS = 4_096  # about 1,233 decimal digits
MAX_SECONDS = 1.0  # wall time of one expression or one whole script
MAX_ROUND_DIGITS = 400


class LimitExceeded(Exception):
    """A budget was breached; the message says which one and the limit."""


def weight(value: Any, cap: int = MAX_WEIGHT) -> int:
    """The size of a value counted deeply; stops counting once it passes cap."""
    total, stack = 0, [value]
    while stack and total <= cap:
        item = stack.pop()
        total += 1
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, int):
            total += item.bit_length() // 64
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            if len(item) > cap:
                return total + len(item)
            stack.extend(item)
    return total


@dataclass
class Budget:
    """One run's allowance; `step` before every node, `measure` every value a node yields."""

    operations: int = MAX_OPERATIONS
    max_weight: int = MAX_WEIGHT
    seconds: float = MAX_SECONDS
    used: int = 0
    deadline: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def step(self) -> None:
        self.used += 1
        if self.used > self.operations:
            raise LimitExceeded(f"more than {self.operations} operations")
        if time.monotonic() > self.deadline:
            raise LimitExceeded(f"ran longer than {self.seconds:g} s")

    def measure(self, value: Any) -> None:
        if isinstance(value, bool | float | None):
            return
        if isinstance(value, int):
            if value.bit_length() > MAX_INT_BITS:
                raise LimitExceeded(f"a number larger than {MAX_INT_BITS} bits")
            return
        if weight(value, self.max_weight) > self.max_weight:
            raise LimitExceeded(f"a value larger than {self.max_weight} characters or items")


def bounded_pow(base: Any, exponent: Any) -> Any:
    """A power whose integer result would stay within MAX_INT_BITS, checked before computing."""
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        if (abs(base).bit_length() - 1) * exponent > MAX_INT_BITS:
            raise LimitExceeded(f"a power larger than {MAX_INT_BITS} bits")
    return operator.pow(base, exponent)


def bounded_round(number: Any, ndigits: Any = None) -> Any:
    """round() with a sane number of digits (round(x, -10**9) would compute 10**(10**9))."""
    if ndigits is None:
        return round(number)
    if isinstance(ndigits, int) and abs(ndigits) > MAX_ROUND_DIGITS:
        raise LimitExceeded(f"rounding to more than {MAX_ROUND_DIGITS} digits")
    return round(number, ndigits)
