"""The flowchart refuses an SOP it cannot show and says why (the rules of Sop.problems)."""

from __future__ import annotations

import pytest

from engine.sop import Decision, Sop, Step
from exporters.flowchart.layout import layout_pages


def _sop(*steps: Step) -> Sop:
    return Sop("X", "Contoh", "Bidang X", actors=["Kabid", "Staf"], steps=list(steps))


def test_a_tidak_to_no_step_and_a_performer_outside_the_columns_are_refused():
    sop = _sop(
        Step(1, "Menyusun", "Staf"),
        Step(2, "Memeriksa", "Kabid", decision=Decision("Setuju?", None, 9)),
        Step(3, "Mengarsip", "Bupati"),
    )
    with pytest.raises(ValueError) as caught:
        layout_pages(sop)
    assert str(caught.value) == (
        "SOP X: langkah 2: Tidak menunjuk ke langkah 9 yang tidak ada; "
        "langkah 3: pelaksana 'Bupati' bukan kolom Pelaksana"
    )
    with pytest.raises(ValueError, match="tidak ada langkah; tidak ada pelaksana"):
        layout_pages(Sop("X", "Contoh", "Bidang X"))


def test_a_step_without_a_name_is_still_drawn():
    pages = layout_pages(_sop(Step(1, "", "Staf"), Step(2, "Memeriksa", "Kabid")))
    assert [page.steps for page in pages] == [[1, 2]]
