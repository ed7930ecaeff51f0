"""Acceptance tests of the core text pipeline against the hand-checked gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.garble import encode, garble
from support.scoring import parse_markdown_blocks, score

from xyconvert.cli import main


def convert(path: Path, outdir: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["convert", str(path), "-o", str(outdir), *args])
    return result.exit_code, result.output


def md_of(tmp_path: Path, data: bytes, name: str = "variant.txt") -> str:
    src = tmp_path / name
    src.write_bytes(data)
    code, out = convert(src, tmp_path / "out")
    assert code == 0, out
    return (tmp_path / "out" / (src.stem + ".zh.md")).read_text(encoding="utf-8")


def test_seed_report_matches_gold(tmp_path: Path, seed_report: Path, gold_md: str) -> None:
    code, out = convert(seed_report, tmp_path)
    assert code == 0, out
    md = (tmp_path / "seed_report.zh.md").read_text(encoding="utf-8")
    s = score(md, gold_md)
    assert s.passes(char=0.999, para=0.97, heading=1.0, max_cjk_spaces=0), str(s)


VARIANTS = {
    "reverse_other_pages": dict(reverse_pages=(2, 5)),
    "reverse_several_pages": dict(reverse_pages=(3, 7, 12, 20)),
    "reverse_first_and_last": dict(reverse_pages=(1, 27)),
    "letterspace_many_lines": dict(letterspace_frac=0.4),
    "no_page_markers": dict(page_marker="none", reverse_pages=(3,)),
    "form_feeds": dict(page_marker="formfeed", reverse_pages=(4,)),
    "dash_numbers_header": dict(page_numbers="dash", running_header="新源县人民政府"),
    "emdash_numbers_title_header": dict(page_numbers="emdash", running_header="政府工作报告"),
    "di_numbers_header_on_page1": dict(
        page_numbers="di", running_header="政府工作报告", header_on_first_page=True
    ),
    "bare_numbers_unmarked": dict(
        page_numbers="bare", page_marker="none", running_header="新源县政府", reverse_pages=(6,)
    ),
    "short_pages": dict(page_lines=8, reverse_pages=(4, 9)),
    "long_pages": dict(page_lines=60, reverse_pages=(2,)),
    "no_blank_lines": dict(blank_between=False),
    "all_runin_headings": dict(runin=1.0),
    "no_runin_headings": dict(runin=0.0),
    "wider_lines": dict(width=34, reverse_pages=(5,)),
}


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_garbled_variants(tmp_path: Path, gold_md: str, name: str, seed: int) -> None:
    text = garble(gold_md, seed=seed, **VARIANTS[name])
    s = score(md_of(tmp_path, text.encode("utf-8")), gold_md)
    assert s.passes(char=0.999, para=0.97, heading=1.0, max_cjk_spaces=0), str(s)


@pytest.mark.parametrize(
    "encoding,crlf",
    [("gb18030", False), ("gbk", True), ("utf-16", False), ("utf-16-le", True), ("utf-8-sig", True)],
)
def test_encodings_and_line_endings(tmp_path: Path, gold_md: str, encoding: str, crlf: bool) -> None:
    text = garble(gold_md, seed=3, reverse_pages=(3,))
    s = score(md_of(tmp_path, encode(text, encoding, crlf=crlf)), gold_md)
    assert s.passes(char=0.999, para=0.97, heading=1.0, max_cjk_spaces=0), str(s)


def test_big5_traditional_report(tmp_path: Path) -> None:
    text = "政府工作報告\n\n各位代表：\n\n現在，我代表縣人民政府向大會報告工作，請予審議。\n\n一、過去一年的工作\n\n鄉村振興取得新成效。\n"
    md = md_of(tmp_path, text.encode("big5"))
    assert "# 政府工作報告" in md
    assert "## 一、過去一年的工作" in md


def test_shuffled_page_is_improved(tmp_path: Path, gold_md: str) -> None:
    """A fully shuffled page is rebuilt from join statistics: better than leaving it."""
    text = garble(gold_md, seed=0, shuffle_pages=(5,)).encode("utf-8")
    src = tmp_path / "shuffled.txt"
    src.write_bytes(text)
    convert(src, tmp_path / "fixed")
    convert(src, tmp_path / "kept", "--keep-order")
    fixed = score((tmp_path / "fixed/shuffled.zh.md").read_text(), gold_md)
    kept = score((tmp_path / "kept/shuffled.zh.md").read_text(), gold_md)
    assert fixed.char_similarity > kept.char_similarity + 0.005, (fixed, kept)


def test_clean_markdown_passes_through_unchanged(tmp_path: Path, gold_md: str) -> None:
    md = md_of(tmp_path, gold_md.encode("utf-8"), "clean.md")
    assert parse_markdown_blocks(md) == parse_markdown_blocks(gold_md)


def test_clean_text_output_passes_through_unchanged(tmp_path: Path, seed_report: Path) -> None:
    code, _ = convert(seed_report, tmp_path / "a", "--to", "txt,md")
    assert code == 0
    first_txt = tmp_path / "a" / "seed_report.zh.txt"
    first_md = (tmp_path / "a" / "seed_report.zh.md").read_text()
    code, _ = convert(first_txt, tmp_path / "b", "--to", "txt,md")
    assert code == 0
    again = tmp_path / "b" / "seed_report.zh.zh.txt"
    assert again.read_text() == first_txt.read_text()
    # Same blocks, and the same title and headings, from the clean text.
    second_md = (tmp_path / "b" / "seed_report.zh.zh.md").read_text()
    assert parse_markdown_blocks(second_md) == parse_markdown_blocks(first_md)


def test_all_outputs_and_front_matter(tmp_path: Path, seed_report: Path) -> None:
    code, out = convert(seed_report, tmp_path, "--to", "md,txt,json")
    assert code == 0, out
    md = (tmp_path / "seed_report.zh.md").read_text()
    head = md.split("---")[1]
    assert 'title: "政府工作报告"' in head
    assert 'date: "2024-01-26"' in head
    assert 'source: "seed_report.txt"' in head
    import hashlib

    assert hashlib.sha256(seed_report.read_bytes()).hexdigest() in head
    assert "tool_version" in head

    txt = (tmp_path / "seed_report.zh.txt").read_bytes()
    assert b"\r" not in txt and txt.endswith(b"\n")
    lines = txt.decode().splitlines()
    assert lines[0] == "政府工作报告" and len(lines) == len(parse_markdown_blocks(md))

    data = json.loads((tmp_path / "seed_report.json").read_text())
    assert data["schema_version"] == 1
    blocks = data["blocks"]
    assert blocks[0]["type"] == "title"
    headings = [b for b in blocks if b["type"] == "heading"]
    assert [h["level"] for h in headings].count(2) == 3
    # Provenance: the reversed page 3 is traced to its file lines.
    para = next(b for b in blocks if b["text"].startswith("粮食安全有效保障"))
    assert para["provenance"]["pages"] == [3, 4]
    # it starts at the bottom of page 3, which sits at file lines 81-123 in reverse
    assert 81 <= para["provenance"]["lines"][0] <= 123
    # Glossary hits with their positions in the blocks.
    hits = {h["zh"]: h for h in data["glossary"]}
    assert hits["乡村振兴"]["en"] == "rural revitalization" and hits["乡村振兴"]["count"] >= 1
    occ = hits["乡村振兴"]["occurrences"][0]
    assert blocks[occ["block"]]["text"][occ["start"] : occ["end"]] == "乡村振兴"
    # Run-in numbered items are kept in their paragraph and listed.
    promises = next(b for b in blocks if "十件民生实事" in b["text"])
    assert [i["marker"] for i in promises["items"]] == [f"{n}." for n in range(1, 11)]


def test_opencc_conversion(tmp_path: Path, seed_report: Path) -> None:
    code, _ = convert(seed_report, tmp_path, "--traditional")
    assert code == 0
    md = (tmp_path / "seed_report.zh.md").read_text()
    assert "# 政府工作報告" in md and "鄉村振興" in md
    trad = tmp_path / "seed_report.zh.md"
    code, _ = convert(trad, tmp_path / "back", "--simplified")
    assert code == 0
    assert "乡村振兴" in (tmp_path / "back" / "seed_report.zh.zh.md").read_text()


@pytest.mark.parametrize(
    "data,problem",
    [
        (b"", "empty file"),
        (b"   \n\n  ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        (b"\x80\x80\x80\x80\xff\xff\x80\x80", "cannot decode"),
    ],
)
def test_bad_text_input(tmp_path: Path, data: bytes, problem: str) -> None:
    src = tmp_path / "bad.txt"
    src.write_bytes(data)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(src), "-o", str(out)])
    assert result.exit_code == 4
    assert problem in result.output and str(src) in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_missing_input_and_directory(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["convert", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 3 and "no such file" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(main, ["convert", str(empty), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "no .txt" in result.output


def test_one_bad_input_does_not_stop_others(tmp_path: Path, seed_report: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = CliRunner().invoke(
        main, ["convert", str(bad), str(seed_report), "-o", str(tmp_path / "o"), "--json"]
    )
    assert result.exit_code == 8
    summary = json.loads(result.stdout)
    assert [r["status"] for r in summary["results"]] == ["failed", "converted"]
    assert summary["summary"] == {"converted": 1, "skipped": 0, "failed": 1}
    assert (tmp_path / "o" / "seed_report.zh.md").exists()


def test_never_overwrites_input(tmp_path: Path, gold_md: str) -> None:
    src = tmp_path / "x.zh.md"
    src.write_text(gold_md)
    before = src.read_bytes()
    result = CliRunner().invoke(main, ["convert", str(src), "-o", str(tmp_path), "--to", "md"])
    # x.zh.md -> stem "x.zh" -> x.zh.zh.md: a different file, input untouched
    assert result.exit_code == 0
    assert src.read_bytes() == before
    src2 = tmp_path / "y.txt"
    src2.write_text(gold_md)
    result = CliRunner().invoke(main, ["convert", str(src2), "-o", str(tmp_path), "--to", "txt"])
    assert result.exit_code == 0
    # y.txt -> y.zh.txt; now convert y.zh.txt asking for txt: target is y.zh.zh.txt, fine;
    # but converting "y.zh" named input whose output equals itself must be refused.
    same = tmp_path / "z.zh.txt"
    same.write_text(gold_md)
    result = CliRunner().invoke(main, ["convert", str(same), "-o", str(tmp_path), "--to", "txt"])
    assert result.exit_code == 0 and same.read_text() == gold_md


def test_repair_command_pipes(seed_report: Path, gold_md: str) -> None:
    result = CliRunner().invoke(main, ["repair", "-", "--markdown"], input=seed_report.read_bytes())
    assert result.exit_code == 0
    s = score(result.stdout, gold_md)
    assert s.passes(max_cjk_spaces=0), str(s)
    plain = CliRunner().invoke(main, ["repair", str(seed_report)])
    assert plain.stdout.splitlines()[0] == "政府工作报告"


def test_unknown_format_is_a_usage_error(tmp_path: Path, seed_report: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(seed_report), "-o", str(tmp_path), "--to", "pdf"])
    assert result.exit_code == 2 and "unknown format" in result.output


def _other_style(gold_md: str, style: str) -> str:
    """Clean-but-wrapped text as other extractors give it (no page marks, no garbling)."""
    lines: list[str] = []
    for kind, _, text in parse_markdown_blocks(gold_md):
        if style == "blank-between-paragraphs":
            lines += [text[i : i + 27] for i in range(0, len(text), 27)] + [""]
        elif kind == "paragraph":
            indent = "\u3000\u3000" if style == "fullwidth-indent" else "    "
            lines.append(indent + text[:25])
            lines += [text[i : i + 27] for i in range(25, len(text), 27)]
        else:
            lines += [text[i : i + 27] for i in range(0, len(text), 27)]
    return "\n".join(lines)


@pytest.mark.parametrize("style", ["fullwidth-indent", "ascii-indent", "blank-between-paragraphs"])
def test_other_extraction_styles(tmp_path: Path, gold_md: str, style: str) -> None:
    s = score(md_of(tmp_path, _other_style(gold_md, style).encode("utf-8")), gold_md)
    assert s.passes(char=0.999, para=0.97, heading=1.0, max_cjk_spaces=0), str(s)


FRONT_MATTER = {
    "dash_occasion": ("2024年1月26日在", "——2024年1月26日在"),
    "speaker_then_date": (
        "2024年1月26日在新源县第十八届人民代表大会第四次会议上\n\n新源县委副书记、政府县长热合木·艾木拉",
        "新源县人民政府县长张三\n\n（2024年1月26日）",
    ),
    "two_line_title": ("# 政府工作报告", "# 关于新源县2023年国民经济和社会发展计划执行情况与2024年计划草案的报告"),
    "no_speaker": ("\n\n新源县委副书记、政府县长热合木·艾木拉", ""),
}


@pytest.mark.parametrize("name", sorted(FRONT_MATTER))
def test_front_matter_variations(tmp_path: Path, gold_md: str, name: str) -> None:
    old, new = FRONT_MATTER[name]
    gold = gold_md.replace(old, new, 1)
    text = garble(gold, seed=0, reverse_pages=(3,))
    s = score(md_of(tmp_path, text.encode("utf-8")), gold)
    assert s.passes(char=0.999, para=0.97, heading=1.0, max_cjk_spaces=0), str(s)
