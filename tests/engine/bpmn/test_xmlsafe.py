"""Safe XML loading: DOCTYPE/ENTITY refused, malformed XML located, line numbers kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.bpmn.xmlsafe import UnsafeXmlError, XmlError, parse_xml

DATA = Path(__file__).resolve().parents[2] / "data"
SECRET = "LEAKED-SECRET-7f3a"


def test_valid_file_keeps_source_lines():
    path = DATA / "valid" / "simple_lanes.bpmn"
    lines = path.read_text(encoding="utf-8").splitlines()
    expected = next(i for i, text in enumerate(lines, 1) if '<bpmn:userTask id="Task_2"' in text)
    task = parse_xml(path).getroot().find(".//{*}userTask[@id='Task_2']")
    assert task is not None
    assert task.sourceline == expected


@pytest.mark.parametrize("source", ["bytes", "text", "path", "path-string"])
def test_accepts_bytes_text_and_paths(source):
    path = DATA / "valid" / "simple_lanes.bpmn"
    value = {
        "bytes": path.read_bytes(),
        "text": path.read_text(encoding="utf-8"),
        "path": path,
        "path-string": str(path),
    }[source]
    assert parse_xml(value).getroot().get("id") == "Definitions_1"


def test_text_with_a_non_utf8_declaration_is_read():
    root = parse_xml('<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>Kabupaten é</a>').getroot()
    assert root.text == "Kabupaten é"


@pytest.mark.parametrize("name", ["xxe.bpmn", "billion_laughs.bpmn"])
def test_doctype_files_are_refused(name):
    with pytest.raises(UnsafeXmlError) as caught:
        parse_xml(DATA / "invalid" / name)
    error = caught.value
    assert isinstance(error, XmlError) and isinstance(error, ValueError)
    assert error.filename == str(DATA / "invalid" / name)
    assert error.line == 2
    assert "DOCTYPE/ENTITY declarations are not allowed" in error.message
    assert "remove the <!DOCTYPE ...> block" in error.message
    assert str(error).startswith(f"{error.filename}, line 2: ")


def test_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    doc = f'<!DOCTYPE a [<!ENTITY x SYSTEM "file://{secret}">]><a>&x;</a>'
    with pytest.raises(UnsafeXmlError) as caught:
        parse_xml(doc.encode(), "x.bpmn")
    assert SECRET not in str(caught.value)


def test_doctype_after_comment_and_in_utf16_is_refused():
    doc = '<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE a [<!ENTITY x "y">]>\n<a>&x;</a>'
    with pytest.raises(UnsafeXmlError) as caught:
        parse_xml(doc, "c.bpmn")
    assert caught.value.line == 3
    with pytest.raises(UnsafeXmlError):
        parse_xml(doc.replace("UTF-8", "UTF-16").encode("utf-16"), "u.bpmn")


def test_parameter_entity_is_refused():
    doc = b'<!DOCTYPE a [<!ENTITY % p SYSTEM "http://example.invalid/x.dtd"> %p;]><a/>'
    with pytest.raises(UnsafeXmlError):
        parse_xml(doc, "p.bpmn")


@pytest.mark.parametrize(
    ("doc", "line", "words"),
    [
        (b"<a>\n<b></a>", 2, "Opening and ending tag mismatch"),
        (b"<a>", 1, "Premature end of data"),
        (b"", 1, "Document is empty"),
        (b"<a x=1/>", 1, "AttValue"),
    ],
)
def test_malformed_xml_gives_file_and_line(doc, line, words):
    with pytest.raises(XmlError) as caught:
        parse_xml(doc, "bad.bpmn")
    assert not isinstance(caught.value, UnsafeXmlError)
    assert caught.value.filename == "bad.bpmn"
    assert caught.value.line == line
    assert caught.value.message.startswith("not well-formed XML: ")
    assert words in caught.value.message


def test_missing_file_is_an_xml_error(tmp_path):
    with pytest.raises(XmlError, match="cannot read file"):
        parse_xml(tmp_path / "absent.bpmn")
