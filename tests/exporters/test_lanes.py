"""The lane diagram: pools and lanes as clusters, every node inside its lane, read from the SVG."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from exporters.cli import lanes as lanes_command
from exporters.lanes import Lane, LaneDiagram, Node, extract, render, to_graph

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "lanes"
HAND_MADE = sorted(DATA.glob("*.bpmn"))
SOP_DIAGRAMS = sorted((ROOT / "bpmn").glob("*.bpmn"))
SVG = "{http://www.w3.org/2000/svg}"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def test_dot_is_installed():
    assert shutil.which("dot"), "Graphviz `dot` is missing: apt-get install graphviz"


def _bbox(group: etree._Element) -> tuple[float, float, float, float] | None:
    """Bounding box (x0, y0, x1, y1) of a group's own shapes (text left out)."""
    xs, ys = [], []
    for shape in group.iter(f"{SVG}polygon", f"{SVG}path", f"{SVG}ellipse", f"{SVG}polyline"):
        if shape.tag == f"{SVG}ellipse":
            cx, cy, rx, ry = (float(shape.get(a)) for a in ("cx", "cy", "rx", "ry"))
            xs += [cx - rx, cx + rx]
            ys += [cy - ry, cy + ry]
            continue
        numbers = [float(n) for n in NUMBER.findall(shape.get("points") or shape.get("d") or "")]
        xs += numbers[0::2]
        ys += numbers[1::2]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _inside(inner, outer, slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


class Drawn:
    """What the SVG shows: clusters (box, label), nodes (box) and edges, by Graphviz title."""

    def __init__(self, svg: bytes):
        root = etree.fromstring(svg)
        self.clusters: dict[str, tuple[tuple, str]] = {}
        self.nodes: dict[str, tuple] = {}
        self.edges: dict[str, etree._Element] = {}
        for group in root.iter(f"{SVG}g"):
            title = group.findtext(f"{SVG}title")
            kind = group.get("class")
            if kind == "cluster":
                label = " ".join(t.text or "" for t in group.iter(f"{SVG}text"))
                self.clusters[title] = (_bbox(group), label)
            elif kind == "node" and _bbox(group) is not None:
                self.nodes[title] = _bbox(group)
            elif kind == "edge":
                self.edges[title] = group

    def cluster(self, element_id: str) -> tuple:
        return self.clusters[f"cluster_{element_id}"][0]


def _lanes(lanes: list[Lane]):
    for lane in lanes:
        yield lane
        yield from _lanes(lane.lanes)


def _drawn_nodes(nodes: list[Node]):
    for node in nodes:
        if node.kind == "subprocess" and node.children:
            yield from _drawn_nodes(node.children)
        else:
            yield node


def _lane_nodes(lane: Lane):
    yield from _drawn_nodes(lane.nodes)
    for child in lane.lanes:
        yield from _lane_nodes(child)


def check_lanes(diagram: LaneDiagram, drawn: Drawn) -> None:
    """One labelled cluster per pool and lane; every node inside its lane's and pool's box."""
    for pool in diagram.pools:
        box, label = drawn.clusters[f"cluster_{pool.id}"]
        assert label == pool.name
        for node in _drawn_nodes(pool.nodes):
            assert _inside(drawn.nodes[node.id], box), f"{node.name} outside pool {pool.name}"
        for lane in _lanes(pool.lanes):
            lane_box, label = drawn.clusters[f"cluster_{lane.id}"]
            assert label == lane.name
            assert _inside(lane_box, box), f"lane {lane.name} outside pool {pool.name}"
            for node in _lane_nodes(lane):
                assert _inside(drawn.nodes[node.id], lane_box), f"{node.name} not in {lane.name}"


def lanes_in_order(drawn: Drawn, lanes: list[Lane]) -> None:
    """Sibling lanes stack top to bottom in the file's order, without overlapping, and run the
    full width of their pool (horizontal stripes)."""
    boxes = [drawn.cluster(lane.id) for lane in lanes]
    for upper, lower in zip(boxes, boxes[1:], strict=False):
        assert upper[3] <= lower[1] + 1, "lanes overlap or are out of order"
    leaves = [box for box, lane in zip(boxes, lanes, strict=True) if not lane.lanes]
    for box in leaves:  # a lane with child lanes is wider by the children's margins
        assert abs(box[0] - leaves[0][0]) <= 1 and abs(box[2] - leaves[0][2]) <= 1, "ragged"
    for lane in lanes:
        lanes_in_order(drawn, lane.lanes)


@pytest.mark.parametrize("path", HAND_MADE, ids=lambda p: p.name)
def test_hand_made_files_have_full_di(path: Path):
    root = etree.parse(str(path)).getroot()
    drawn = {e.get("bpmnElement") for e in root.iter() if e.get("bpmnElement")}
    kinds = (
        "participant",
        "lane",
        "sequenceFlow",
        "messageFlow",
        "startEvent",
        "endEvent",
        "task",
        "userTask",
        "sendTask",
        "subProcess",
        "exclusiveGateway",
        "boundaryEvent",
        "intermediateCatchEvent",
    )
    elements = [e.get("id") for kind in kinds for e in root.iter(BPMN + kind)]
    assert elements and not set(elements) - drawn


@pytest.mark.parametrize("path", HAND_MADE, ids=lambda p: p.name)
def test_every_lane_is_a_cluster_holding_its_nodes(path: Path):
    diagram = extract(path)
    drawn = Drawn(render(diagram, "svg"))
    check_lanes(diagram, drawn)
    for pool in diagram.pools:
        lanes_in_order(drawn, pool.lanes)


def test_several_pools_and_message_flows():
    diagram = extract(DATA / "several_pools.bpmn")
    assert [p.name for p in diagram.pools] == ["BAPPEDA", "Perangkat Daerah (OPD)"]
    assert [[lane.name for lane in p.lanes] for p in diagram.pools] == [
        ["Kepala Bidang", "Staf Perencana"],
        ["Kepala OPD", "Operator OPD"],
    ]
    drawn = Drawn(render(diagram, "svg"))
    bappeda, opd = drawn.cluster("Participant_Bappeda"), drawn.cluster("Participant_Opd")
    assert bappeda[3] <= opd[1], "the first pool is drawn above the second"
    for title in (
        "Activity_Undangan->Event_UndanganDiterima",
        "Event_DataTerkirim->Event_DataDiterima",
    ):
        path = drawn.edges[title].find(f"{SVG}path")
        assert path.get("stroke-dasharray"), f"message flow {title} is not dashed"
    assert (
        not drawn.edges["Event_Mulai->Activity_Undangan"].find(f"{SVG}path").get("stroke-dasharray")
    )


def test_nested_lanes_are_nested_clusters():
    diagram = extract(DATA / "nested_lanes.bpmn")
    (pool,) = diagram.pools
    bappeda, sekretariat = pool.lanes
    assert [lane.name for lane in bappeda.lanes] == ["Kepala Bidang", "Sub Koordinator"]
    assert bappeda.nodes == []  # its nodes belong to its child lanes
    drawn = Drawn(render(diagram, "svg"))
    for child in bappeda.lanes:
        assert _inside(drawn.cluster(child.id), drawn.cluster(bappeda.id))
    assert _inside(drawn.nodes["sid-T-Periksa"], drawn.cluster("sid-L-Kabid"))
    assert not _inside(drawn.nodes["sid-T-Periksa"], drawn.cluster("sid-L-SubKoor"))
    assert _inside(drawn.nodes["sid-E-Selesai"], drawn.cluster(sekretariat.id))


def test_subprocess_is_a_cluster_with_its_children():
    diagram = extract(DATA / "subprocess.bpmn")
    drawn = Drawn(render(diagram, "svg"))
    box, label = drawn.clusters["cluster_Sub_Agenda"]
    assert label == "Agendakan surat"
    assert _inside(box, drawn.cluster("Lane_Admin"))
    for child in ("Sub_Start", "Sub_Catat", "Sub_Pindai", "Sub_End"):
        assert _inside(drawn.nodes[child], box), child
    for outside in ("Task_Disposisi", "Task_Ingatkan", "Boundary_Dua_Hari"):
        assert not _inside(drawn.nodes[outside], box), outside
    # flows into and out of the subprocess end on its border (compound edges)
    dot = to_graph(diagram).source
    assert "lhead=cluster_Sub_Agenda" in dot and "ltail=cluster_Sub_Agenda" in dot


def test_process_without_lanes_and_a_black_box_pool():
    xml = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <collaboration id="c">
    <participant id="p_office" name="Kantor" processRef="proc"/>
    <participant id="p_citizen" name="Warga"/>
    <messageFlow id="m" sourceRef="t" targetRef="p_citizen"/>
  </collaboration>
  <process id="proc" isExecutable="false">
    <startEvent id="s"/>
    <task id="t" name="Kirim surat"/>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
  </process>
</definitions>"""
    diagram = extract(xml)
    assert [(p.name, len(p.lanes), len(p.nodes)) for p in diagram.pools] == [
        ("Kantor", 0, 3),
        ("Warga", 0, 0),
    ]
    drawn = Drawn(render(diagram, "svg"))
    check_lanes(diagram, drawn)
    assert "cluster_p_citizen" in drawn.clusters
    assert "lhead=cluster_p_citizen" in to_graph(diagram).source


def test_dot_text_is_left_to_right_with_lane_clusters():
    dot = to_graph(extract(DATA / "several_pools.bpmn")).source
    assert "rankdir=LR" in dot
    assert "subgraph cluster_Lane_Kabid" in dot
    assert 'label="Kepala Bidang"' in dot


def test_cli_writes_svg_and_png(tmp_path: Path):
    runner = CliRunner()
    for suffix, magic in ((".svg", b"<?xml"), (".png", b"\x89PNG")):
        out = tmp_path / f"lanes{suffix}"
        result = runner.invoke(lanes_command, [str(DATA / "subprocess.bpmn"), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(magic)


def test_cli_reports_a_broken_file(tmp_path: Path):
    broken = tmp_path / "broken.bpmn"
    broken.write_text("<definitions")
    result = CliRunner().invoke(lanes_command, [str(broken), "-o", str(tmp_path / "x.svg")])
    assert result.exit_code != 0
    assert "broken.bpmn" in result.output
    assert not (tmp_path / "x.svg").exists()


def test_the_six_sop_diagrams_exist():
    assert len(SOP_DIAGRAMS) >= 6, f"bpmn/ holds {[p.name for p in SOP_DIAGRAMS]}"


@pytest.mark.parametrize("path", SOP_DIAGRAMS, ids=lambda p: p.name)
def test_sop_diagrams_render(path: Path):
    diagram = extract(path)
    assert any(pool.lanes for pool in diagram.pools)
    drawn = Drawn(render(diagram, "svg"))
    check_lanes(diagram, drawn)
    for pool in diagram.pools:
        lanes_in_order(drawn, pool.lanes)


# --- other editors' files: the BPMN MIWG reference models (tests/data/miwg/README.md) -----------
MIWG = sorted((ROOT / "tests" / "data" / "miwg").glob("*.bpmn"))
MIWG_WITH_LANES = {"A.4.0.bpmn", "B.2.0.bpmn", "C.1.0.bpmn"}


def test_the_miwg_files_are_there():
    assert len(MIWG) == 8 and MIWG_WITH_LANES <= {p.name for p in MIWG}


@pytest.mark.parametrize("path", MIWG, ids=lambda p: p.name)
def test_other_editors_files_render_with_their_pools_and_lanes(path: Path):
    diagram = extract(path)
    root = etree.parse(str(path)).getroot()
    lanes = [lane for pool in diagram.pools for lane in _lanes(pool.lanes)]
    assert [lane.id for lane in lanes] == [e.get("id") for e in root.iter(f"{BPMN}lane")]
    assert bool(lanes) == (path.name in MIWG_WITH_LANES)
    participants = {e.get("id") for e in root.iter(f"{BPMN}participant")}
    assert participants <= {pool.id for pool in diagram.pools}
    drawn = Drawn(render(diagram, "svg"))
    check_lanes(diagram, drawn)  # a labelled cluster per pool and lane, each node inside its lane
    for pool in diagram.pools:
        lanes_in_order(drawn, pool.lanes)
    nodes = [n for pool in diagram.pools for n in _drawn_nodes(pool.nodes)]
    nodes += [n for pool in diagram.pools for lane in pool.lanes for n in _lane_nodes(lane)]
    assert nodes and {n.id for n in nodes} <= set(drawn.nodes)
