"""Lane -> role: a lane's role is its normalised name, unless the role map says otherwise."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def normalise(name: str) -> str:
    """'Sub. Koordinator  Pemerintahan' -> 'sub koordinator pemerintahan'."""
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold()).split())


@dataclass(frozen=True)
class RoleMap:
    """Configured exceptions to the lane-name rule.

    {"lanes": {"Kabid Pemerintahan dan Sosial Budaya": "kepala bidang"},
     "processes": {"sop_c_1": {"Sub. Koordinator Sosial Budaya": "sub koordinator"}},
     "users": {"Kepala Badan": "harto"}}
    Lane names are matched after normalising; "processes" wins over "lanes".
    """

    lanes: dict[str, str] = field(default_factory=dict)
    processes: dict[str, dict[str, str]] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: dict) -> RoleMap:
        unknown = set(config) - {"lanes", "processes", "users"}
        if unknown:
            raise ValueError(f"role map: unknown keys {sorted(unknown)}")
        return cls(
            lanes={normalise(k): normalise(v) for k, v in config.get("lanes", {}).items()},
            processes={
                key: {normalise(k): normalise(v) for k, v in lanes.items()}
                for key, lanes in config.get("processes", {}).items()
            },
            users={normalise(k): str(v) for k, v in config.get("users", {}).items()},
        )

    def role(self, process_key: str, lane: str) -> str:
        lane_key = normalise(lane)
        return self.processes.get(process_key, {}).get(lane_key) or self.lanes.get(
            lane_key, lane_key
        )

    def assignee(self, lane: str) -> str | None:
        """The user a lane is pointed at by name (None: anyone holding the role)."""
        return self.users.get(normalise(lane))
