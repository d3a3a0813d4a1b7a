"""Namespaces, BPMN element names, and the extension property names that carry SOP fields."""

from __future__ import annotations

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"

NSMAP = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "xsi": XSI, "camunda": CAMUNDA}
TARGET_NAMESPACE = "urn:alur:sop"

# BPMN flow node elements (local names) of two families.
TASKS = frozenset(
    "task userTask manualTask serviceTask sendTask receiveTask businessRuleTask scriptTask".split()
)
SUBPROCESSES = frozenset({"subProcess", "transaction", "adHocSubProcess"})

# Identity properties on the process (one camunda:property each; lists repeat the name).
IDENTITY_SCALARS = (
    "organisasi",
    "instansi",
    "unit",
    "nomor",
    "tanggal_pembuatan",
    "tanggal_revisi",
    "tanggal_efektif",
    "nama_sop",
)
SIGNATORY_FIELDS = ("jabatan", "nama", "pangkat", "nip")  # as "disahkan_<field>"
IDENTITY_LISTS = (
    "dasar_hukum",
    "kualifikasi_pelaksana",
    "keterkaitan",
    "peralatan_perlengkapan",
    "peringatan",
    "pencatatan_pendataan",
)
PROP_CODE = "kode"

# Step properties on each task.
PROP_NO = "no"
PROP_WAKTU = "waktu"
PROP_KELENGKAPAN = "kelengkapan"
PROP_OUTPUT = "output"
PROP_KETERANGAN = "keterangan"
PROP_PESERTA = "peserta"

YES = "Ya"
NO = "Tidak"


def q(ns: str, tag: str) -> str:
    """Clark notation: q(BPMN, 'task') -> '{http://...MODEL}task'."""
    return f"{{{ns}}}{tag}"
