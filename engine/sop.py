"""The SOP model: one SOP AP procedure (identity, Pelaksana columns, steps with Mutu Baku)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from engine.waktu import Waktu, WaktuError, WaktuUnit

__all__ = [
    "Decision",
    "Identity",
    "Rule",
    "Signatory",
    "Sop",
    "SopProblem",
    "Step",
    "Waktu",
    "WaktuError",
    "WaktuUnit",
    "sop_from_dict",
    "sop_to_dict",
]


@dataclass
class Decision:
    """A review step's question and where each answer leads (step numbers; None: the end)."""

    question: str
    yes: int | None = None
    no: int | None = None


@dataclass
class Step:
    no: int
    activity: str
    actor: str
    participants: list[str] = field(default_factory=list)
    kelengkapan: list[str] = field(default_factory=list)
    waktu: Waktu = field(default_factory=Waktu)
    output: list[str] = field(default_factory=list)
    keterangan: str = ""
    decision: Decision | None = None
    element_id: str = field(default="", compare=False)  # the BPMN id it was read from

    @property
    def task_id(self) -> str:
        return f"Langkah_{self.no}"

    @property
    def gateway_id(self) -> str:
        return f"Keputusan_{self.no}"

    @property
    def decision_variable(self) -> str:
        """Task-data name the step's Ya/Tidak answer is stored under."""
        return f"keputusan_{self.no}"


@dataclass
class Signatory:
    jabatan: str = ""
    nama: str = ""
    pangkat: str = ""
    nip: str = ""


@dataclass
class Identity:
    """The identity page of an SOP AP document."""

    organisasi: str = ""  # e.g. "Pemerintah Kabupaten Ketapang"
    instansi: str = ""  # e.g. "Badan Perencanaan Pembangunan Daerah"
    unit: str = ""  # the bidang as the header writes it
    nomor: str = ""
    tanggal_pembuatan: str = ""
    tanggal_revisi: str = ""
    tanggal_efektif: str = ""
    disahkan_oleh: Signatory = field(default_factory=Signatory)
    nama_sop: str = ""
    dasar_hukum: list[str] = field(default_factory=list)
    kualifikasi_pelaksana: list[str] = field(default_factory=list)
    keterkaitan: list[str] = field(default_factory=list)
    peralatan_perlengkapan: list[str] = field(default_factory=list)
    peringatan: list[str] = field(default_factory=list)
    pencatatan_pendataan: list[str] = field(default_factory=list)


class Rule(StrEnum):
    """A rule every SOP keeps (SopProblem.rule names the one broken)."""

    STEPS = "steps"  # at least one step
    ACTORS = "actors"  # at least one Pelaksana column
    ACTOR_NAME = "actor_name"  # every Pelaksana column has a name
    ACTOR_UNIQUE = "actor_unique"  # no two Pelaksana columns share one
    STEP_NO = "step_no"  # no two steps share a number
    ACTIVITY = "activity"  # every step says what is done (Kegiatan)
    PERFORMER = "performer"  # a step's performer is a Pelaksana column
    PARTICIPANT = "participant"  # so is each of its participants
    TARGET = "target"  # a decision's Ya / Tidak leads to a step that exists (or the end)


@dataclass(frozen=True)
class SopProblem:
    """One rule an SOP breaks: which, where (a step, or a Pelaksana column) and in words."""

    rule: Rule
    message: str
    step: int | None = None  # the step's number, when it concerns a step
    index: int | None = None  # its position in Sop.steps, or in Sop.actors for column rules
    answer: str = ""  # Rule.TARGET: "Ya" or "Tidak"

    def __str__(self) -> str:
        return self.message


@dataclass
class Sop:
    """One procedure: code (A, C.2 ...), name, owner unit, actors and steps in order."""

    code: str
    name: str
    owner: str  # the BPMN participant, e.g. "BAPPEDA Kab. Ketapang - Bidang Pemerintahan ..."
    identity: Identity = field(default_factory=Identity)
    actors: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    process_id: str = field(default="", compare=False)  # the BPMN process id it was read from

    @property
    def key(self) -> str:
        """The process id: as read, or derived from the code ('C.2' -> 'sop_c_2')."""
        return self.process_id or "sop_" + re.sub(r"[^0-9a-z]+", "_", self.code.lower()).strip("_")

    def step(self, no: int) -> Step:
        """The step numbered no; KeyError when there is none."""
        for step in self.steps:
            if step.no == no:
                return step
        raise KeyError(f"SOP {self.code} tidak punya langkah {no}")

    def find(self, no: int | None) -> Step | None:
        """The step numbered no, or None when there is none (or no is None)."""
        return next((s for s in self.steps if s.no == no), None) if no is not None else None

    def problems(self) -> list[SopProblem]:
        """Every rule this SOP breaks: the SOP's own first, then step by step."""
        found: list[SopProblem] = []
        if not self.steps:
            found.append(SopProblem(Rule.STEPS, "tidak ada langkah"))
        if not self.actors:
            found.append(SopProblem(Rule.ACTORS, "tidak ada pelaksana"))
        for i, actor in enumerate(self.actors):
            if not actor.strip():
                message = f"kolom Pelaksana {i + 1}: nama pelaksana kosong"
                found.append(SopProblem(Rule.ACTOR_NAME, message, index=i))
            elif actor in self.actors[:i]:
                message = f"pelaksana {actor!r} ada di dua kolom Pelaksana"
                found.append(SopProblem(Rule.ACTOR_UNIQUE, message, index=i))
        numbers = [s.no for s in self.steps]
        for i, step in enumerate(self.steps):
            found += _step_problems(step, i, self.actors, numbers)
        return found


def _step_problems(step: Step, i: int, actors: list[str], numbers: list[int]) -> list[SopProblem]:
    """The rules one step (at position i) breaks."""
    found = []

    def add(rule: Rule, message: str, answer: str = "") -> None:
        found.append(SopProblem(rule, f"langkah {step.no}: {message}", step.no, i, answer))

    if step.no in numbers[:i]:
        add(Rule.STEP_NO, "nomor langkah ganda")
    if not step.activity.strip():
        add(Rule.ACTIVITY, "kegiatan kosong")
    if step.actor not in actors:
        add(Rule.PERFORMER, f"pelaksana {step.actor!r} bukan kolom Pelaksana")
    for other in step.participants:
        if other not in actors:
            add(Rule.PARTICIPANT, f"peserta {other!r} bukan kolom Pelaksana")
    if step.decision:
        for answer, target in (("Ya", step.decision.yes), ("Tidak", step.decision.no)):
            if target is not None and target not in numbers:
                add(Rule.TARGET, f"{answer} menunjuk ke langkah {target} yang tidak ada", answer)
    return found


def sop_to_dict(sop: Sop) -> dict:
    """The SOP as plain JSON data (the shape `alur inspect --json` prints)."""
    identity = asdict(sop.identity)
    return {
        "code": sop.code,
        "key": sop.key,
        "name": sop.name,
        "owner": sop.owner,
        "actors": list(sop.actors),
        "identity": identity,
        "steps": [
            {
                "no": s.no,
                "activity": s.activity,
                "actor": s.actor,
                "participants": list(s.participants),
                "kelengkapan": list(s.kelengkapan),
                "waktu_menit": s.waktu.minutes,
                "waktu_text": s.waktu.text,
                "waktu_jumlah": s.waktu.amount,
                "waktu_satuan": str(s.waktu.unit) if s.waktu.unit else None,
                "output": list(s.output),
                "keterangan": s.keterangan,
                "decision": asdict(s.decision) if s.decision else None,
            }
            for s in sop.steps
        ],
    }


def sop_from_dict(data: dict) -> Sop:
    """Inverse of sop_to_dict; Waktu is re-parsed from its text."""
    ident = dict(data.get("identity") or {})
    ident["disahkan_oleh"] = Signatory(**(ident.get("disahkan_oleh") or {}))
    steps = [
        Step(
            no=int(s["no"]),
            activity=s["activity"],
            actor=s["actor"],
            participants=list(s.get("participants") or []),
            kelengkapan=list(s.get("kelengkapan") or []),
            waktu=Waktu.parse(s.get("waktu_text", "")),
            output=list(s.get("output") or []),
            keterangan=s.get("keterangan") or "",
            decision=Decision(**s["decision"]) if s.get("decision") else None,
        )
        for s in data.get("steps", [])
    ]
    return Sop(
        code=data["code"],
        name=data["name"],
        owner=data.get("owner", ""),
        identity=Identity(**ident),
        actors=list(data.get("actors", [])),
        steps=steps,
    )
