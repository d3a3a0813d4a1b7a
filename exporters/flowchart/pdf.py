"""Join single-page PDFs from Graphviz (cairo, classic xref table) into one multi-page PDF.

Graphviz writes one PDF per graph and cannot paginate cairo output, so the flowchart's pages
are rendered one by one and joined here: objects are renumbered, each document's page tree
becomes a branch under one new root, and catalogs and info dictionaries are dropped.
"""

from __future__ import annotations

import re

_XREF = re.compile(rb"startxref\s+(\d+)")
_OBJ = re.compile(rb"(\d+) 0 obj\b")
_REF = re.compile(rb"(\d+) 0 R\b")
_TYPE = re.compile(rb"/Type\s*/(\w+)")


def _objects(pdf: bytes) -> dict[int, bytes]:
    """Object number -> body (between 'obj' and 'endobj'), located through the xref table."""
    start = int(_XREF.findall(pdf)[-1])
    lines = pdf[start:].split(b"trailer")[0].split(b"\n")
    offsets: dict[int, int] = {}
    number = 0
    for line in lines[1:]:
        parts = line.split()
        if len(parts) == 2:
            number = int(parts[0])
        elif len(parts) == 3:
            if parts[2] == b"n":
                offsets[number] = int(parts[0])
            number += 1
    ordered = sorted(offsets.items(), key=lambda item: item[1])
    bodies = {}
    for k, (num, offset) in enumerate(ordered):
        end = ordered[k + 1][1] if k + 1 < len(ordered) else start
        chunk = pdf[offset:end]
        head = _OBJ.match(chunk)
        if head is None or int(head[1]) != num:
            raise ValueError(f"PDF object {num} not where the xref table says")
        bodies[num] = chunk[head.end() : chunk.rindex(b"endobj")].strip()
    return bodies


def _renumber(body: bytes, shift: int) -> bytes:
    """Shift references in the dictionary part; stream data stays as it is."""
    head, sep, stream = body.partition(b"stream")
    head = _REF.sub(lambda m: b"%d 0 R" % (int(m[1]) + shift), head)
    return head + sep + stream


def merge_pdfs(documents: list[bytes]) -> bytes:
    """One PDF holding every page of `documents`, in order."""
    if len(documents) == 1:
        return documents[0]
    objects: dict[int, bytes] = {}
    branches: list[int] = []
    counts = 0
    next_free = 3  # 1: catalog, 2: root page tree
    for pdf in documents:
        bodies = _objects(pdf)
        shift = next_free - min(bodies)
        for num, body in bodies.items():
            kind = _TYPE.search(body.partition(b"stream")[0])
            name = kind[1] if kind else b""
            if name in (b"Catalog",) or b"/Producer" in body[:200]:
                continue
            body = _renumber(body, shift)
            if name == b"Pages" and b"/Parent" not in body:
                branches.append(num + shift)
                counts += int(re.search(rb"/Count\s+(\d+)", body)[1])
                body = body.replace(b"/Type /Pages", b"/Type /Pages /Parent 2 0 R", 1)
            objects[num + shift] = body
        next_free = max(bodies) + shift + 1
    kids = b" ".join(b"%d 0 R" % n for n in branches)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = b"<< /Type /Pages /Kids [ %s ] /Count %d >>" % (kids, counts)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, objects[num])
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)
