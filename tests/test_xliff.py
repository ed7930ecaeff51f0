"""XLIFF 1.2 export (convert --to xliff) and import (xyconvert xliff import), with lxml.

Two checks of every file written: the official OASIS XLIFF 1.2 strict XSD
(``official_schema``: not shipped here; Debian's php-symfony-translation carries
it, and .ci/run installs that package; ``$XLIFF12_XSD`` names another copy), and
``validate_xliff12``, which checks the strict content model for every element
xyconvert writes — element order, required and allowed attributes, enumerated
values — and runs everywhere.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from support.scoring import parse_markdown_blocks

from xyconvert.cli import main

NS = "urn:oasis:names:tc:xliff:document:1.2"
X = f"{{{NS}}}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_DIR = Path(__file__).resolve().parents[2] / "shared" / "tmx"

# XLIFF 1.2 §2.5 / the strict schema's enumerations.
STATES = {"final", "needs-adaptation", "needs-l10n", "needs-review-adaptation", "needs-review-l10n",
          "needs-review-translation", "needs-translation", "new", "signed-off", "translated"}
QUALIFIERS = {"exact-match", "fuzzy-match", "id-match", "leveraged-glossary", "leveraged-inherited",
              "leveraged-mt", "leveraged-repository", "leveraged-tm", "mt-suggestion",
              "rejected-grammar", "rejected-inaccurate", "rejected-length", "rejected-spelling",
              "tm-suggestion"}
RESTYPE = re.compile(r"x-\S+")  # the strict schema's XTend pattern (or a listed value)
SCHEMA_DIRS = [Path("/usr/share/php/Symfony/Component/Translation/Resources/schemas")]


def _official_xsd() -> Path | None:
    named = os.environ.get("XLIFF12_XSD")
    candidates = [Path(named)] if named else [d / "xliff-core-1.2-strict.xsd" for d in SCHEMA_DIRS]
    return next((p for p in candidates if p.is_file()), None)


@pytest.fixture(scope="module")
def official_schema() -> etree.XMLSchema:
    """The OASIS XLIFF 1.2 strict schema, its xml.xsd import pointed at the local copy (no network)."""
    xsd = _official_xsd()
    if xsd is None:
        pytest.skip("the official XLIFF 1.2 XSD is not installed (Debian: php-symfony-translation)")
    text = xsd.read_bytes()
    local_xml = xsd.with_name("xml.xsd")
    if local_xml.is_file():
        text = text.replace(b"http://www.w3.org/2001/xml.xsd", local_xml.as_uri().encode())
    return etree.XMLSchema(etree.fromstring(text, base_url=xsd.as_uri()))


def _assert_valid(schema: etree.XMLSchema, root: etree._Element) -> None:
    assert schema.validate(root), "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)


def _attrs(el: etree._Element, required: set[str], optional: set[str]) -> None:
    names = set(el.attrib)
    assert required <= names, f"<{etree.QName(el).localname}> lacks {required - names}"
    assert names <= required | optional, f"<{etree.QName(el).localname}> has {names - required - optional}"


def _children(el: etree._Element) -> list[str]:
    for child in el:
        assert isinstance(child.tag, str) and child.tag.startswith(X), f"foreign element {child.tag}"
    return [etree.QName(c).localname for c in el]


def validate_xliff12(root: etree._Element) -> int:
    """Raise AssertionError where ``root`` breaks the XLIFF 1.2 strict content model; the unit count."""
    assert root.tag == X + "xliff"
    _attrs(root, {"version"}, {XML_LANG})
    assert root.get("version") == "1.2"
    assert set(_children(root)) == {"file"}
    ids: set[str] = set()
    units = 0
    for file in root:
        _attrs(file, {"original", "source-language", "datatype"},
               {"target-language", "tool-id", "date", "product-name", "build-num", XML_LANG})
        assert _children(file) == ["header", "body"]
        header, body = file
        kids = _children(header)
        assert kids and kids[0] == "skl" and set(kids[1:]) <= {"tool", "note", "prop-group"}
        skl = header[0]
        assert _children(skl) == ["internal-file"]
        _attrs(skl[0], set(), {"form", "crc"})
        for tool in header.findall(X + "tool"):
            _attrs(tool, {"tool-id", "tool-name"}, {"tool-version", "tool-company"})
        for group in body:
            assert etree.QName(group).localname == "group"
            _attrs(group, set(), {"id", "restype", "resname", "datatype", XML_LANG})
            assert RESTYPE.fullmatch(group.get("restype", "x-none"))
            kids = _children(group)
            assert kids and set(kids) == {"trans-unit"}, "a group needs at least one unit"
            for unit in group:
                units += 1
                _attrs(unit, {"id"}, {"approved", "translate", "resname", "restype", XML_LANG})
                assert unit.get("id") not in ids
                ids.add(unit.get("id"))
                kids = _children(unit)
                assert kids[0] == "source"
                rest = kids[1:]
                if rest and rest[0] == "target":
                    rest = rest[1:]
                assert set(rest) <= {"note", "alt-trans", "context-group", "count-group", "prop-group"}
                _attrs(unit[0], set(), {XML_LANG, "ts"})
                target = unit.find(X + "target")
                if target is not None:
                    _attrs(target, set(), {XML_LANG, "state", "state-qualifier", "ts", "phase-name"})
                    assert target.get("state", "translated") in STATES
                    assert target.get("state-qualifier", "exact-match") in QUALIFIERS
                for note in unit.findall(X + "note"):
                    _attrs(note, set(), {"from", "priority", "annotates", XML_LANG})
                    assert _children(note) == []
                for alt in unit.findall(X + "alt-trans"):
                    _attrs(alt, set(), {"match-quality", "origin", "tool-id", "alttranstype", XML_LANG})
                    kids = _children(alt)
                    assert kids[:1] == ["source"] and set(kids[1:]) == {"target"}
                for inline in (unit[0], target):
                    if inline is not None:
                        assert _children(inline) == [], "inline markup is not written"
    return units


def _export(tmp_path: Path, report: Path, *extra: str) -> tuple[Path, etree._Element]:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(report), "-o", str(out), "--to", "md,xliff", *extra])
    assert result.exit_code == 0, result.output
    path = out / f"{report.stem}.xlf"
    return path, etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()


def _zh_blocks(tmp_path: Path, report: Path) -> list[tuple[str, int, str]]:
    return parse_markdown_blocks((tmp_path / "out" / f"{report.stem}.zh.md").read_text("utf-8"))


def test_export_without_translation_keeps_every_character(tmp_path: Path, seed_report: Path) -> None:
    path, root = _export(tmp_path, seed_report)
    assert validate_xliff12(root) > 50
    assert root.find(f"{X}file/{X}body//{X}target") is None  # nothing translated, no targets
    doc = json.loads(root.find(f"{X}file/{X}header/{X}skl/{X}internal-file").text)
    for index, block in enumerate(doc["blocks"]):
        group = root.find(f"{X}file/{X}body/{X}group[@id='b{index}']")
        if block["type"] == "table":
            assert group is None
            continue
        sources = "".join(s.text for s in group.iter(X + "source"))
        assert re.sub(r"\s", "", sources) == re.sub(r"\s", "", block["text"])
        if block["type"] == "heading":
            assert group.get("restype") == "x-heading" and group.get("resname") == f"level-{block['level']}"


def test_glossary_terms_are_notes(tmp_path: Path, seed_report: Path) -> None:
    _, root = _export(tmp_path, seed_report)
    notes = [n.text for n in root.iter(X + "note") if n.get("from") == "glossary"]
    assert any(n.startswith("乡村振兴 = rural revitalization") for n in notes)


@pytest.mark.skipif(not (TMX_DIR / "GR2014.tmx").is_file(), reason="../shared/tmx missing")
def test_export_with_tm_states(tmp_path: Path, seed_report: Path) -> None:
    _, root = _export(tmp_path, seed_report, "--tm", str(TMX_DIR / "GR2014.tmx"))
    validate_xliff12(root)
    targets = {u.find(X + "source").text: u.find(X + "target") for u in root.iter(X + "trans-unit")}
    exact = targets["各位代表！"]
    assert exact.get("state") == "translated" and exact.text == "Fellow Deputies,"
    fuzzy = targets["一、2023年工作回顾"]
    assert fuzzy.get("state") == "needs-review-translation" and "2023" in fuzzy.text
    unit = next(u for u in root.iter(X + "trans-unit") if u.find(X + "source").text == "一、2023年工作回顾")
    alt = unit.find(X + "alt-trans")
    assert alt.find(X + "source").text == "一、2013年工作回顾" and "2013" in alt.find(X + "target").text
    assert 85 <= int(alt.get("match-quality")) <= 100


def test_round_trip_with_reviewed_targets(argos_env, tmp_path: Path, seed_report: Path) -> None:  # noqa: ANN001
    path, root = _export(tmp_path, seed_report, "--translate")
    validate_xliff12(root)
    units = list(root.iter(X + "trans-unit"))
    assert all(u.find(X + "target") is not None for u in units)  # MT filled every unit
    assert {u.find(X + "target").get("state") for u in units} == {"needs-review-translation"}
    # A reviewer replaces every target and signs it off.
    for unit in units:
        target = unit.find(X + "target")
        target.text = f"Reviewed {unit.get('id')}."
        target.set("state", "signed-off")
    reviewed = tmp_path / "reviewed.xlf"
    reviewed.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    validate_xliff12(etree.parse(str(reviewed)).getroot())

    out = tmp_path / "en"
    result = CliRunner().invoke(main, ["xliff", "import", str(reviewed), "-o", str(out), "--to", "md,docx", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["units"] == summary["translated"] == len(units)
    assert summary["states"] == {"signed-off": len(units)}
    en = parse_markdown_blocks((out / "reviewed.en.md").read_text("utf-8"))
    zh = _zh_blocks(tmp_path, seed_report)
    assert [(k, lv) for k, lv, _ in en] == [(k, lv) for k, lv, _ in zh]  # the structure is back
    expected = []
    for group in root.iter(X + "group"):
        expected.append(" ".join(f"Reviewed {u.get('id')}." for u in group.iter(X + "trans-unit")))
    texts = [t for k, _, t in en if k != "table"]
    assert all(e in t for e, t in zip(expected, texts)), (expected[:3], texts[:3])
    from docx import Document as Docx

    body = "\n".join(p.text for p in Docx(str(out / "reviewed.en.docx")).paragraphs)
    assert "Reviewed b6.s1." in body


def test_import_counts_units_without_target(tmp_path: Path, seed_report: Path) -> None:
    path, _ = _export(tmp_path, seed_report)
    result = CliRunner().invoke(main, ["xliff", "import", str(path), "-o", str(tmp_path / "en")])
    assert result.exit_code == 0, result.output
    assert "units have no target" in result.output
    english = (tmp_path / "en" / "seed_report.en.md").read_text("utf-8")
    assert "[untranslated: 各位代表、同志们：]" in english


def test_import_rejects_other_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlf"
    bad.write_text("<xliff version='2.0' xmlns='urn:oasis:names:tc:xliff:document:2.0'/>", "utf-8")
    result = CliRunner().invoke(main, ["xliff", "import", str(bad), "-o", str(tmp_path / "en")])
    assert result.exit_code == 4 and "not an XLIFF 1.2 file" in result.output
    broken = tmp_path / "broken.xlf"
    broken.write_text("<xliff version='1.2'>\n<file>", "utf-8")
    result = CliRunner().invoke(main, ["xliff", "import", str(broken), "-o", str(tmp_path / "en")])
    assert result.exit_code == 4 and "line 2" in result.output
    assert not (tmp_path / "en").exists()


def test_validator_rejects_broken_xliff(tmp_path: Path, seed_report: Path) -> None:
    """The structural validation can fail: a misplaced target and a bad state are caught."""
    _, root = _export(tmp_path, seed_report)
    unit = next(root.iter(X + "trans-unit"))
    etree.SubElement(unit, X + "target", state="almost-done").text = "x"
    with pytest.raises(AssertionError):
        validate_xliff12(root)


def test_import_without_skeleton_rebuilds_from_groups(tmp_path: Path, seed_report: Path) -> None:
    """A CAT tool that drops the skeleton still gets headings back from restype/resname."""
    _, root = _export(tmp_path, seed_report)
    header = root.find(f"{X}file/{X}header")
    header.remove(header.find(X + "skl"))
    for unit in root.iter(X + "trans-unit"):
        etree.SubElement(unit, X + "target").text = "Done."
        unit.insert(1, unit[-1])  # the target right after the source
    stripped = tmp_path / "stripped.xlf"
    stripped.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    result = CliRunner().invoke(main, ["xliff", "import", str(stripped), "-o", str(tmp_path / "en")])
    assert result.exit_code == 0, result.output
    en = parse_markdown_blocks((tmp_path / "en" / "stripped.en.md").read_text("utf-8"))
    zh = [b for b in _zh_blocks(tmp_path, seed_report) if b[0] != "table"]
    assert [(k, lv) for k, lv, _ in en if k == "heading"] == [(k, lv) for k, lv, _ in zh if k == "heading"]


def test_official_schema_accepts_every_export(official_schema, tmp_path: Path, seed_report: Path) -> None:  # noqa: ANN001
    _, plain = _export(tmp_path / "plain", seed_report)
    _assert_valid(official_schema, plain)
    if (TMX_DIR / "GR2014.tmx").is_file():  # targets, states, qualifiers, notes and alt-trans
        _, with_tm = _export(tmp_path / "tm", seed_report, "--tm", str(TMX_DIR / "GR2014.tmx"))
        assert next(with_tm.iter(X + "alt-trans"), None) is not None
        _assert_valid(official_schema, with_tm)


def test_official_schema_can_fail(official_schema, tmp_path: Path, seed_report: Path) -> None:  # noqa: ANN001
    _, root = _export(tmp_path, seed_report)
    unit = next(root.iter(X + "trans-unit"))
    etree.SubElement(unit, X + "target", state="almost-done").text = "x"
    assert not official_schema.validate(root)


def test_official_schema_accepts_machine_translation(argos_env, official_schema, tmp_path: Path,  # noqa: ANN001
                                                     seed_report: Path) -> None:
    _, root = _export(tmp_path, seed_report, "--translate")
    assert next(root.iter(X + "target"), None) is not None
    _assert_valid(official_schema, root)
