"""Mutu Baku Waktu: the duration an SOP step may take, as the source writes it and parsed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class WaktuUnit(StrEnum):
    MENIT = "menit"
    JAM = "jam"
    HARI = "hari"  # calendar days
    HARI_KERJA = "hari kerja"  # working days of the office calendar


_MINUTES_PER_UNIT = {WaktuUnit.MENIT: 1, WaktuUnit.JAM: 60, WaktuUnit.HARI: 24 * 60}
_WAKTU_RE = re.compile(
    r"^\s*(?P<amount>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?\s*"
    r"(?P<unit>menit|jam|hari\s+kerja|hari)\s*\.?\s*$",
    re.IGNORECASE,
)
_UNSPECIFIED = {"", "-", "–", "—"}


class WaktuError(ValueError):
    """A Waktu text that is neither a duration nor '-'."""


@dataclass(frozen=True)
class Waktu:
    """Mutu Baku Waktu: the source's text and the duration it states (None: unspecified)."""

    text: str = ""
    amount: float | None = None
    unit: WaktuUnit | None = None

    @classmethod
    def parse(cls, text: str | None) -> Waktu:
        """Parse Indonesian durations: '2.550 menit', '300 Menit', '1,5 jam', '3 hari kerja'."""
        raw = (text or "").strip()
        if raw in _UNSPECIFIED:
            return cls(text=raw)
        match = _WAKTU_RE.match(raw)
        if not match:
            raise WaktuError(
                f"Waktu {raw!r} tidak dikenali: tulis 'N menit', 'N jam', 'N hari', "
                "'N hari kerja' atau '-'"
            )
        amount = float(match["amount"].replace(".", "") + "." + (match["frac"] or "0"))
        unit = WaktuUnit(re.sub(r"\s+", " ", match["unit"].lower()))
        return cls(text=raw, amount=int(amount) if amount.is_integer() else amount, unit=unit)

    @property
    def specified(self) -> bool:
        return self.amount is not None

    @property
    def minutes(self) -> int | None:
        """Duration in minutes; None when unspecified or given in working days."""
        if self.amount is None or self.unit not in _MINUTES_PER_UNIT:
            return None
        return round(self.amount * _MINUTES_PER_UNIT[self.unit])

    @property
    def working_days(self) -> float | None:
        return self.amount if self.unit is WaktuUnit.HARI_KERJA else None
