"""migrate_ms_per_instance: Alur.migrate over a batch of running instances, per instance.

N instances of SOP B version 1 wait at step 2 (step 1 completed). Version 2 changes step 2's
Waktu and inserts a step after step 5, the edits an analyst makes most: every instance moves,
its open task keeps its row and gets a new due date. Timed: the dry run (plan_migration_ms) and
the batch (each instance suspended, migrated and resumed under its row lock, one transaction
per instance), both divided by N; then one instance is run on to check the batch left it whole.
"""

from __future__ import annotations

import time

from lxml import etree

from benchmarks import BPMN_DIR, Emit, note
from engine.alur import Alur
from engine.bpmn import names as n
from engine.inbox import InboxFilter

KEY = "sop_b"
ANALYST = "analis"
KABID = "Kabid Pemerintahan dan Sosial Budaya"


def run(emit: Emit, kinds: list[str], instances: int, database) -> None:
    for kind in kinds:
        with database(kind) as alur:
            _run(emit, kind, alur, instances)


def _run(emit: Emit, kind: str, alur: Alur, instances: int) -> None:
    alur.deploy_sources([("sop_b.bpmn", (BPMN_DIR / "sop_b.bpmn").read_bytes())], "admin")
    alur.add_user(ANALYST, [ANALYST])
    alur.add_user("kabid", [KABID])
    for _ in range(instances):
        instance = alur.start(KEY, "kabid", version=1)
        (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
        alur.complete(task.id, "kabid")
    alur.deploy_sources([("sop_b.bpmn", version_two())], ANALYST)
    note(f"migration ({kind}): {instances} instances at step 2")

    start = time.perf_counter()
    planned = alur.plan_migration(KEY, 1, 2, ANALYST)
    plan_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    outcomes = alur.migrate(KEY, 1, 2, ANALYST, note="benchmark")
    migrate_ms = (time.perf_counter() - start) * 1000
    moved = sum(o.status == "migrated" for o in outcomes)
    if moved != instances or any(p.status != "migratable" for p in planned):
        raise RuntimeError(f"migration benchmark: {moved} of {instances} migrated")
    (task,) = alur.tasks(flt=InboxFilter(instance_id=outcomes[-1].instance_id))
    alur.complete(task.id, "kabid")  # the migrated instance runs on
    context = {"db": kind, "instances": instances, "change": "waktu of the open step + a step"}
    emit({"figure": "plan_migration_ms_per_instance", "value": plan_ms / instances, "unit": "ms"}
         | context)  # fmt: skip
    emit({"figure": "migrate_ms_per_instance", "value": migrate_ms / instances, "unit": "ms"}
         | context)  # fmt: skip


def version_two() -> bytes:
    """SOP B with step 2's Waktu changed and a step inserted after step 5."""
    root = etree.fromstring((BPMN_DIR / "sop_b.bpmn").read_bytes())
    process = root.find(n.q(n.BPMN, "process"))
    for prop in process.find("*[@id='Langkah_2']").iter(n.q(n.CAMUNDA, "property")):
        if prop.get("name") == "waktu":
            prop.set("value", "2 Hari Kerja")
    flow = next(
        f for f in process.iter(n.q(n.BPMN, "sequenceFlow")) if f.get("sourceRef") == "Langkah_5"
    )
    task = etree.Element(n.q(n.BPMN, "userTask"), id="Rekap", name="Merekap data Monev")
    props = etree.SubElement(
        etree.SubElement(task, n.q(n.BPMN, "extensionElements")), n.q(n.CAMUNDA, "properties")
    )
    etree.SubElement(props, n.q(n.CAMUNDA, "property"), name="no", value="12")
    etree.SubElement(task, n.q(n.BPMN, "incoming")).text = flow.get("id")
    etree.SubElement(task, n.q(n.BPMN, "outgoing")).text = "Flow_Rekap"
    process.find("*[@id='Langkah_5']").addnext(task)
    target = flow.get("targetRef")
    for incoming in process.find(f"*[@id='{target}']").iter(n.q(n.BPMN, "incoming")):
        if incoming.text == flow.get("id"):
            incoming.text = "Flow_Rekap"
    flow.set("targetRef", "Rekap")
    flow.addnext(
        etree.Element(
            n.q(n.BPMN, "sequenceFlow"), id="Flow_Rekap", sourceRef="Rekap", targetRef=target
        )
    )
    for ref in process.iter(n.q(n.BPMN, "flowNodeRef")):
        if ref.text == "Langkah_5":
            ref.addnext(etree.Element(n.q(n.BPMN, "flowNodeRef")))
            ref.getnext().text = "Rekap"
            break
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
