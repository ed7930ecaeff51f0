"""The briefing on real reports: titles in English (no pinyin of 年 or of digits), and
``brief`` over several inputs and folders like ``convert``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xyconvert.briefing import build_brief
from xyconvert.briefing.header import place_name, title_english
from xyconvert.glossary import load_glossary
from xyconvert.pipeline import load_document

ROOT = Path(__file__).resolve().parents[1]
OTHER = ROOT.parent / "shared" / "samples" / "other_reports"
REPORTS = sorted(OTHER.glob("*.docx")) if OTHER.is_dir() else []
needs_reports = pytest.mark.skipif(len(REPORTS) != 8, reason="../shared/samples/other_reports not present")

# Lower-case pinyin syllables glued to a digit or to each other with an apostrophe,
# or the reading of 年 (year) itself: what romanising '2025年安徽' letter by letter gives.
ARTEFACT = re.compile(r"\d[a-z]|\bnian\b|nian'|[a-z]'[a-z]|\b[a-z]+nian", re.IGNORECASE)


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()


@needs_reports
@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_report_title_has_no_pinyin_artefacts(path: Path, glossary) -> None:
    doc = load_document(path)
    data = build_brief(doc, glossary, None)
    title = data.header.title
    assert title, data.header.title_zh
    assert not ARTEFACT.search(title), title
    # year first, as these titles have it (2025年X省政府工作报告): the year goes last
    m = re.fullmatch(r"(?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)*) Government Work Report (?P<year>\d{4})", title)
    assert m, title
    assert m["year"] in data.header.title_zh
    assert m["place"].split()[-1] in ("Province", "Municipality")


def test_title_year_and_place_in_any_order(glossary) -> None:
    expected = "Anhui Province Government Work Report 2025"
    assert title_english("2025年安徽省政府工作报告", glossary) == expected
    assert title_english("安徽省2025年政府工作报告", glossary) == expected
    assert title_english("二〇二五年安徽省政府工作报告", glossary) == expected
    assert title_english("2024年新源县政府工作报告", glossary) == "Xinyuan County Government Work Report 2024"


def test_province_level_names(glossary) -> None:
    assert place_name("陕西省", glossary) == "Shaanxi Province"  # not Shanxi, which is 山西
    assert place_name("山西省", glossary) == "Shanxi Province"
    assert place_name("重庆市", glossary) == "Chongqing Municipality"
    assert place_name("内蒙古自治区", glossary) == "Inner Mongolia Autonomous Region"
    assert place_name("广西壮族自治区", glossary) == "Guangxi Zhuang Autonomous Region"
    assert place_name("2025年安徽省", glossary) is None  # a number is never part of a place name


# ------------------------------------------------------------------ brief over several inputs

SEED = ROOT / "samples" / "seed_report.txt"


def brief_cli(*args: str):
    from click.testing import CliRunner

    from xyconvert.cli import main

    return CliRunner().invoke(main, ["brief", *args])


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """in/a/ and in/b/ with four Word reports each (copied from ../shared), and the seed report."""
    root = tmp_path / "in"
    for k, path in enumerate(REPORTS):
        sub = root / ("a" if k < 4 else "b")
        sub.mkdir(parents=True, exist_ok=True)
        (sub / path.name).write_bytes(path.read_bytes())
    (root / SEED.name).write_bytes(SEED.read_bytes())
    return root


@needs_reports
def test_brief_folders_and_files_with_manifest_and_skipping(folder: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    out = tmp_path / "out"
    extra = tmp_path / "extra.txt"
    extra.write_bytes(SEED.read_bytes())
    res = brief_cli(str(folder), str(extra), "-o", str(out), "--jobs", "2")
    assert res.exit_code == 0, res.output
    stems = [p.stem for p in REPORTS] + ["seed_report", "extra"]
    made = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert made == sorted(f"{s}.brief.{ext}" for s in stems for ext in ("md", "docx"))
    import json

    manifest = json.loads((out / ".xyconvert-manifest.json").read_text(encoding="utf-8"))
    outputs = {name for entry in manifest["entries"].values() for name in entry["outputs"]}
    assert outputs == set(made)
    for path in REPORTS:
        md = (out / f"{path.stem}.brief.md").read_text(encoding="utf-8")
        assert md.startswith("# ") and "Government Work Report 2025: English briefing" in md.splitlines()[0]
    assert "10 converted, 0 skipped (up to date), 0 failed" in res.stderr
    assert res.stderr.count("no zh→en model installed") == 1  # said once for the batch

    again = brief_cli(str(folder), str(extra), "-o", str(out))
    assert again.exit_code == 0, again.output
    assert "10 up to date; --force to redo" in again.stderr
    forced = brief_cli(str(folder / "a"), "-o", str(out), "--force", "--json")
    assert forced.exit_code == 0
    assert json.loads(forced.stdout)["summary"]["converted"] == 4


def test_brief_and_convert_share_an_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    from click.testing import CliRunner

    from xyconvert.cli import main

    run = CliRunner().invoke
    assert run(main, ["convert", str(SEED), "-o", str(out)]).exit_code == 0
    assert brief_cli(str(SEED), "-o", str(out), "--no-mt").exit_code == 0
    # each command's entry is its own: neither makes the other redo its outputs
    res = run(main, ["convert", str(SEED), "-o", str(out)])
    assert res.exit_code == 0 and "1 up to date" in res.stderr
    res = brief_cli(str(SEED), "-o", str(out), "--no-mt")
    assert res.exit_code == 0 and "1 up to date" in res.stderr
    assert {p.name for p in out.iterdir()} == {
        ".xyconvert-manifest.json", "seed_report.zh.md", "seed_report.brief.md", "seed_report.brief.docx"}


def test_brief_batch_failure_is_exit_8_and_keeps_the_rest(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage")
    out = tmp_path / "out"
    res = brief_cli(str(SEED), str(bad), str(tmp_path / "missing.txt"), "-o", str(out), "--no-mt")
    assert res.exit_code == 8, res.output
    assert (out / "seed_report.brief.md").is_file() and (out / "seed_report.brief.docx").is_file()
    assert not list(out.glob("broken.*")) and not list(out.glob("missing.*"))
    assert "1 converted, 0 skipped (up to date), 2 failed" in res.stderr
    assert "failed: " in res.stderr and "broken.pdf" in res.stderr and "missing.txt" in res.stderr
    assert "Traceback" not in res.output


def test_brief_keep_tree_and_name_clash(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / "in" / sub).mkdir(parents=True)
        (tmp_path / "in" / sub / "report.txt").write_bytes(SEED.read_bytes())
    clash = brief_cli(str(tmp_path / "in"), "-o", str(tmp_path / "flat"), "--no-mt")
    assert clash.exit_code == 8 and "output name report already used" in clash.stderr
    res = brief_cli(str(tmp_path / "in"), "-o", str(tmp_path / "tree"), "--no-mt", "--keep-tree")
    assert res.exit_code == 0, res.output
    for sub in ("a", "b"):
        assert (tmp_path / "tree" / sub / "report.brief.md").is_file()
        assert (tmp_path / "tree" / sub / "report.brief.docx").is_file()


def test_brief_one_file_output_takes_one_input(tmp_path: Path) -> None:
    res = brief_cli(str(SEED), str(SEED), "-o", str(tmp_path / "brief.md"), "--no-mt")
    assert res.exit_code == 2 and "give a directory" in res.output
    res = brief_cli(str(SEED), "-o", str(tmp_path / "brief.md"), "--no-mt")
    assert res.exit_code == 0 and (tmp_path / "brief.md").read_text(encoding="utf-8").startswith("# ")


def test_brief_reference_doc_and_simplified(tmp_path: Path) -> None:
    import docx
    import opencc

    template = docx.Document()
    template.sections[0].header.paragraphs[0].text = "TEMPLATE HEADER"
    template.save(str(tmp_path / "ref.docx"))
    traditional = tmp_path / "trad.txt"
    text = SEED.read_text(encoding="utf-8")
    traditional.write_text(opencc.OpenCC("s2t").convert(text), encoding="utf-8")
    out = tmp_path / "out"
    res = brief_cli(str(SEED), str(traditional), "-o", str(out), "--no-mt", "--simplified",
                    "--reference-doc", str(tmp_path / "ref.docx"))
    assert res.exit_code == 0, res.output
    for stem in ("seed_report", "trad"):
        made = docx.Document(str(out / f"{stem}.brief.docx"))
        assert made.sections[0].header.paragraphs[0].text == "TEMPLATE HEADER"
    title = next(line for line in text.splitlines() if line.strip())
    for stem in ("seed_report", "trad"):
        md = (out / f"{stem}.brief.md").read_text(encoding="utf-8")
        assert title.strip() in md, stem  # the Chinese title, in simplified characters
