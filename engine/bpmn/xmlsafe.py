"""Safe XML loading for every BPMN read: no DTD, no entities, no network, line numbers kept."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from lxml import etree

from engine.messages import finding

logger = logging.getLogger(__name__)

# DOCTYPE can only appear in the prolog: after the XML declaration, comments and PIs.
_PROLOG_DOCTYPE = re.compile(r"\A\ufeff?\s*(?:(?:<\?.*?\?>|<!--.*?-->)\s*)*<!DOCTYPE", re.S)


class XmlError(ValueError):
    """An XML document that cannot be read: file, line and a plain-words message.

    The message is named by a key of engine.messages.FINDINGS with its parameters.
    """

    def __init__(
        self, key: str, filename: str | None = None, line: int | None = None, **params: object
    ):
        self.key, self.params = key, params
        self.message = finding(key, params)
        self.filename = filename
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ", ".join(
            part for part in (self.filename, f"line {self.line}" if self.line else None) if part
        )
        return f"{where}: {self.message}" if where else self.message


class UnsafeXmlError(XmlError):
    """A document refused because it declares a DOCTYPE or entities."""


def _parser(encoding: str | None = None) -> etree.XMLParser:
    """A parser that never loads DTDs, never expands entities and never touches the network."""
    return etree.XMLParser(
        encoding=encoding,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def _as_text(data: bytes) -> str:
    """Decode enough of the raw bytes to look for markup (best effort, never raises)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8", errors="replace")


def _declaration_line(text: str) -> int | None:
    """Line of the first DOCTYPE or ENTITY declaration in the text, if any."""
    positions = [p for p in (text.find("<!DOCTYPE"), text.find("<!ENTITY")) if p >= 0]
    return text.count("\n", 0, min(positions)) + 1 if positions else None


def _refuse(filename: str | None, line: int | None) -> UnsafeXmlError:
    logger.warning("refused XML with a DOCTYPE/ENTITY declaration: %s", filename or "<string>")
    return UnsafeXmlError("xml_unsafe", filename, line)


def _read(source: bytes | str | Path, filename: str | None) -> tuple[bytes, str | None, bool]:
    """Raw bytes, the name to report and whether the bytes are UTF-8 from a Python str."""
    if isinstance(source, str) and source.lstrip("\ufeff \t\r\n").startswith("<"):
        return source.encode("utf-8"), filename, True
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            return path.read_bytes(), filename or str(path), False
        except OSError as err:
            raise XmlError("file_unreadable", filename or str(path), reason=err.strerror) from err
    return bytes(source), filename, False


def parse_xml(source: bytes | str | Path, filename: str | None = None) -> etree._ElementTree:
    """Parse XML safely (bytes, text starting with '<', or a file path); raise XmlError."""
    data, filename, from_str = _read(source, filename)
    text = _as_text(data)
    if _PROLOG_DOCTYPE.match(text):
        raise _refuse(filename, _declaration_line(text))
    # a Python str is encoded as UTF-8 here, whatever its XML declaration says
    parser = _parser("utf-8" if from_str else None)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        line = _declaration_line(text)
        if line is not None:
            raise _refuse(filename, line) from err
        first = parser.error_log[0] if len(parser.error_log) else None
        message = (first.message if first else err.msg).strip()
        line = (first.line if first else err.lineno) or None
        if first and first.column:
            raise XmlError(
                "xml_not_well_formed_at", filename, line, detail=message, column=first.column
            ) from err
        raise XmlError("xml_not_well_formed", filename, line, detail=message) from err
    except ValueError as err:  # e.g. an empty document
        raise XmlError("xml_unreadable", filename, None, detail=str(err)) from err
    if root is None:
        raise XmlError("xml_empty", filename, None)
    tree = root.getroottree()
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise _refuse(filename, _declaration_line(text) or 1)
    return tree
