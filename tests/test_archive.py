"""The archive (issue #17): add, search, terms, indicators, list/show/remove/export, check.

Real files (the sample report, the eight 2025 provincial reports' gold Markdown,
corpus PDFs), real SQLite. Oracles come from outside the archive code: Python
substring search over the stored text, pdfplumber's own page text, the report's
numbers read by hand.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from xyconvert.archive import queries
from xyconvert.archive.ingest import add_paths
from xyconvert.archive.schema import SCHEMA_VERSION, migrate, open_archive
from xyconvert.archive.search import search
from xyconvert.archive.tokenize import facet_tokens, fold, index_tokens, match_expression
from xyconvert.cli import main
from xyconvert.model import Document

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
OTHER = SHARED / "samples" / "other_reports"
CORPUS = SHARED / "corpus" / "pdfs"

needs_other = pytest.mark.skipif(not OTHER.is_dir(), reason="../shared/samples/other_reports missing")


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def text_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample report and the eight provincial reports (gold Markdown through the text reader)."""
    db = tmp_path_factory.mktemp("archive") / "text.sqlite"
    inputs = [str(SAMPLES / "seed_report.txt")] + sorted(str(p) for p in OTHER.glob("*.gold.md"))
    code, _, err = cli("archive", "add", *inputs, "--db", str(db))
    assert code == 0, err
    return db


def stored_blocks(db: Path) -> list[tuple[int, int, str]]:
    conn = sqlite3.connect(str(db))
    rows = conn.execute("SELECT doc_id, seq, text FROM blocks").fetchall()
    conn.close()
    return rows


def hits_json(db: Path, *query: str) -> list[dict]:
    code, out, err = cli("search", *query, "--db", str(db), "--limit", "100000", "--json")
    assert code in (0, 1), err
    return json.loads(out)


# ------------------------------------------------------------------ search


@needs_other
@pytest.mark.parametrize("query", ["碳", "粮", "港", "扶贫", "养老", "数字", "乡村振兴", "新质生产力", "营商环境"])
def test_search_finds_exactly_the_blocks_that_contain_the_query(text_archive: Path, query: str) -> None:
    expected = {(d, s) for d, s, text in stored_blocks(text_archive) if query in text}
    got = {(h["doc_id"], h["block"]) for h in hits_json(text_archive, query)}
    assert expected, f"{query} should occur in the reports"
    assert got == expected


@needs_other
def test_traditional_query_finds_simplified_text(text_archive: Path) -> None:
    simplified = {(h["doc_id"], h["block"]) for h in hits_json(text_archive, "乡村振兴")}
    traditional = {(h["doc_id"], h["block"]) for h in hits_json(text_archive, "鄉村振興")}
    assert simplified and traditional == simplified
    hit = hits_json(text_archive, "綠色發展")[0]
    s, e = hit["highlights"][0]
    assert hit["text"][s:e] == "绿色发展"  # the highlight marks the simplified original


@needs_other
def test_several_words_must_all_occur(text_archive: Path) -> None:
    got = hits_json(text_archive, "碳 港")
    assert got
    for h in got:
        assert "碳" in h["text"] and "港" in h["text"]
    expected = {(d, s) for d, s, t in stored_blocks(text_archive) if "碳" in t and "港" in t}
    assert {(h["doc_id"], h["block"]) for h in got} == expected


@needs_other
def test_hits_are_ranked_and_carry_document_date_heading_and_snippet(text_archive: Path) -> None:
    got = hits_json(text_archive, "营商环境")
    scores = [h["score"] for h in got]
    assert scores == sorted(scores)  # bm25: lower is better
    top = got[0]
    assert top["date"] and top["title"] and top["page"] >= 1
    assert "[营商环境]" in top["snippet"]
    assert top["heading"]  # every body block of a report sits under a heading


@needs_other
def test_filters_year_region_type(text_archive: Path) -> None:
    seed_only = hits_json(text_archive, "发展", "--year", "2024")
    assert seed_only and {h["region"] for h in seed_only} == {"新源县"}
    anhui = hits_json(text_archive, "发展", "--region", "安徽", "--year", "2020-2025")
    assert anhui and {h["region"] for h in anhui} == {"安徽省"}
    heads = hits_json(text_archive, "发展", "--type", "heading")
    assert heads and {h["type"] for h in heads} <= {"heading", "title"}
    assert hits_json(text_archive, "发展", "--region", "火星") == []


@needs_other
def test_frequent_words_are_ranked_among_the_newest_matches_and_all_stay_findable(text_archive: Path) -> None:
    conn = open_archive(text_archive)
    rows = conn.execute("SELECT id, doc_id, seq, text FROM blocks ORDER BY id").fetchall()
    containing = [r for r in rows if "发展" in r["text"]]
    assert len(containing) > 200
    info: dict[str, int] = {}
    hits = search(conn, "发展", limit=5, rank_cutoff=100, info=info)
    assert info == {"matches": len(containing), "ranked": 100}
    newest = {(r["doc_id"], r["seq"]) for r in containing[-100:]}
    assert len(hits) == 5 and {(h.doc_id, h.block) for h in hits} <= newest
    # bm25 order, and the same five as ranking those hundred blocks alone would give.
    ranked = conn.execute(
        "SELECT b.doc_id, b.seq FROM blocks_fts f JOIN blocks b ON b.id = f.rowid WHERE blocks_fts MATCH ?"
        " AND f.rowid >= ? ORDER BY bm25(blocks_fts, 1.0, 0.0) LIMIT 5",
        (f"tokens : ({match_expression('发展')})", containing[-100]["id"]),
    ).fetchall()
    assert [(h.doc_id, h.block) for h in hits] == [tuple(r) for r in ranked]
    assert [h.score for h in hits] == sorted(h.score for h in hits)
    # A limit past the cut-off ranks them all: every block with the word is found.
    everything = search(conn, "发展", limit=100000, rank_cutoff=100, info=info)
    assert {(h.doc_id, h.block) for h in everything} == {(r["doc_id"], r["seq"]) for r in containing}
    assert info == {"matches": len(containing), "ranked": len(containing)}
    code, _, err = cli("search", "发展", "--db", str(text_archive), "--limit", "3")
    assert code == 0 and "ranked" not in err  # under the default cut-off: no note


def test_query_tokens_cover_latin_numbers_and_phrases() -> None:
    # The index text and the query expression agree on mixed text.
    assert "gdp_增" in index_tokens("GDP增长5.8%").split()
    assert match_expression("GDP增长") == '"gdp_增 增长"'
    assert match_expression("碳") == '"碳" *'
    assert match_expression("5.8") == '"5.8_" *'
    assert fold("發展ＡＢ") == "发展ab"


def test_whole_document_tokens_equal_block_by_block_tokens() -> None:
    from xyconvert.archive.tokenize import block_tokens
    from xyconvert.pipeline import load_document

    texts = [b.text for p in [SAMPLES / "seed_report.txt", *sorted(OTHER.glob("*.gold.md"))] if p.exists()
             for b in load_document(p).blocks]
    texts += ["GDP增长5.8%，乡村振兴。", "碳", "", "。", " 发展 ", "5.", ".5", "a.b.c", "v1.2版本", "中_文",
              "ＡＢＣ發展", "発展カタカナ", "𠀀𠀁好", "é中", "中\u0301文", "a\x00b", "第\x1e二", "2024年\n工作"]
    # The edges of block_tokens' runs (digits, Latin, whitespace) and of its classes.
    texts += ["乡村 振兴", "乡村 \t\u3000振兴 ", "  ", "。，、", "\x00", "\x00中\x00", "5.8.", "a..b", "中.5", "5.中",
              "é.5", "5.8é", "5.é", "é5.8", "gdp 增长 5.8 %", "5年6月7日", "ⅱ中ⅲ", "中⑩5", "__中__", "中_5_a",
              "ａ．ｂ５", "v1.2 v1.3", "α.β", "я5.8", "中 ", " 中", "a", "5", ".", "_", "中", "々〇ー"]
    assert block_tokens(texts) == [index_tokens(t) for t in texts]
    assert block_tokens([]) == [] and block_tokens([""]) == [""] and block_tokens(["", ""]) == ["", ""]
    assert block_tokens(["中"]) == ["中_"] and block_tokens(["", "中"]) == ["", "中_"]



def test_whole_document_tokens_equal_block_by_block_tokens_on_random_text() -> None:
    # Mixed scripts, digits with dots, spaces and punctuation in every order (the runs path).
    import random

    from xyconvert.archive.tokenize import block_tokens

    rng = random.Random(17)
    alphabet = list("发展經濟乡村振兴碳ab GDP5.8２０.．,，。、%_-\n\t·éαя한かカ") + ["v1.2", "..", " . "]
    # Rarer characters: NUL, other spaces, narrow units (ⅱ ⑩ ٣ ا), folds to several characters
    # (ﬁ ǅ İ), a combining mark, symbols, ideographs from other pages, half-width katakana.
    alphabet += list("\x00\u3000\u00a0\u2028ⅱ⑩٣اﬁǅİ\u0301×…—々〇ー\ufa0e\ufa6e\u4dc0ｶ３ｘ")
    astral = ["𠀀", "𪛖", "😀", "𝟓", "𝐀", "𐐀", "\U0002f800"]
    for extra in ([], astral):  # the BMP-only text (UTF-16 code units) and the astral one (UTF-32)
        texts = ["".join(rng.choice(alphabet + extra) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
        assert block_tokens(texts) == [index_tokens(t) for t in texts]
        # Documents of a few blocks: some have no whitespace or other Latin (one unit a run).
        i = 0
        while i < len(texts):
            n = rng.randint(1, 12)
            assert block_tokens(texts[i : i + n]) == [index_tokens(t) for t in texts[i : i + n]], texts[i : i + n]
            i += n
    reports = ["2024年地区生产总值增长5.8%，GDP达到1.2万亿元。", "第一，乡村振兴；第二，5G网络。", "（2024年）"]
    assert block_tokens(reports) == [index_tokens(t) for t in reports]


def test_block_tokens_on_every_character() -> None:
    # Each character at a block's ends, between ideographs, between digits and between
    # letters, around dots: block_tokens classifies characters by tables made once, and
    # looks up the rare ones; the tokens must be the per-block ones for every character.
    from xyconvert.archive.tokenize import _classes, _exact_classes, block_tokens

    bmp = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    assert _classes(bmp, bmp.encode("utf-16-le"), 2) == _exact_classes(bmp)
    astral = "".join(map(chr, [*range(0x10000, 0x110000, 97), 0x20000, 0x1F600, 0x1D7CE, 0x1D400, 0x10400]))
    mixed = bmp[::50] + astral
    assert _classes(mixed, mixed.encode("utf-32-le"), 4) == _exact_classes(mixed)
    texts = [f"{c}中{c}文 5{c}8{c}a{c}.b{c}" for c in bmp + astral]
    assert block_tokens(texts) == [index_tokens(t) for t in texts]


def test_token_fold_agrees_with_fold_on_every_bmp_character() -> None:
    # block_tokens folds only what can change a token (precomputed once): every BMP
    # character must come out as fold gives it, or both must be boundaries (，→ ,).
    from xyconvert.archive.tokenize import _BOUNDARY_CHAR, token_fold

    wrong = []
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        a, b = token_fold(ch), fold(ch)
        if a != b and not (_BOUNDARY_CHAR.match(a) and _BOUNDARY_CHAR.match(b)):
            wrong.append(ch)
    assert wrong == []
    text = "２０２４年經濟ＧＤＰ增長５．８％，發展APEC"
    assert token_fold(text) == "2024年经济gdp增长5.8％，发展apec"  # ％ and ， stay: boundaries either way


@needs_other
def test_cli_search_text_output_and_no_hit_exit_code(text_archive: Path) -> None:
    code, out, _ = cli("search", "那拉提", "--db", str(text_archive), "--limit", "3")
    assert code == 0 and "[那拉提]" in out and "#1 " in out
    code, _, err = cli("search", "不存在的词语组合", "--db", str(text_archive))
    assert code == 1 and "no hits" in err


# ------------------------------------------------------------------ pages (PDF)


def _pdf_page_texts(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [re.sub(r"\s", "", p.extract_text() or "") for p in pdf.pages]


PDF_TERMS = {
    SAMPLES / "seed_clean.pdf": ["那拉提", "扶贫", "乡村振兴", "营商环境", "碳"],
    CORPUS / "tw_case_study_trad.pdf": ["空調"],
    CORPUS / "journal_aero_1994_caj.pdf": ["涡轮", "发动机"],
}


@pytest.fixture(scope="module")
def pdf_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("archive") / "pdf.sqlite"
    pdfs = [str(p) for p in PDF_TERMS if p.exists()]
    code, _, err = cli("archive", "add", *pdfs, "--db", str(db), "--jobs", "2")
    assert code == 0, err
    return db


@pytest.mark.parametrize("pdf", list(PDF_TERMS), ids=lambda p: p.name)
def test_known_terms_are_found_on_their_pages(pdf_archive: Path, pdf: Path) -> None:
    if not pdf.exists():
        pytest.skip(f"{pdf} missing")
    pages = _pdf_page_texts(pdf)
    for term in PDF_TERMS[pdf]:
        expected = {i + 1 for i, text in enumerate(pages) if fold(term) in fold(text)}
        hits = [h for h in hits_json(pdf_archive, term) if h["source_name"] == pdf.name]
        assert hits, term
        found: set[int] = set()
        for h in hits:
            assert h["page"] == h["pages"][0]
            # The term is on one of the block's pages, or runs across two of them.
            assert fold(term) in fold("".join(pages[p - 1] for p in h["pages"])), (term, h["pages"])
            found |= set(h["pages"])
        assert expected <= found, (term, sorted(expected - found))


def test_simplified_query_finds_traditional_pdf(pdf_archive: Path) -> None:
    if not (CORPUS / "tw_case_study_trad.pdf").exists():
        pytest.skip("corpus missing")
    hits = hits_json(pdf_archive, "空调")  # the PDF writes 空調
    assert {h["source_name"] for h in hits} == {"tw_case_study_trad.pdf"}


# ------------------------------------------------------------------ terms, indicators


@needs_other
def test_terms_counts_per_document_and_year(text_archive: Path) -> None:
    code, out, _ = cli("archive", "terms", "碳", "乡村振兴", "--db", str(text_archive), "--json")
    rows = json.loads(out)
    expected: dict[int, int] = {}
    for doc_id, _, text in stored_blocks(text_archive):
        expected[doc_id] = expected.get(doc_id, 0) + text.count("乡村振兴")
    assert {r["id"]: r["乡村振兴"] for r in rows} == expected
    code, out, _ = cli("archive", "terms", "碳", "--by", "year", "--csv", "--db", str(text_archive))
    lines = out.splitlines()
    assert lines[0] == "year,documents,碳"
    assert [line.split(",")[:2] for line in lines[1:]] == [["2024", "1"], ["2025", "8"]]


@needs_other
def test_indicators_grp_target_of_the_sample_report(text_archive: Path) -> None:
    # samples/seed_gold.md: 主要预期目标是：地区生产总值152.11亿元、增长8.5%
    code, out, _ = cli("archive", "indicators", "地区生产总值", "--period", "target", "--region", "新源",
                       "--db", str(text_archive), "--json")
    rows = [r for r in json.loads(out) if r["name"] == "地区生产总值"]
    assert code == 0 and rows
    assert rows[0]["value"] == "15211000000" and rows[0]["unit"] == "元" and rows[0]["growth"] == "8.5"
    assert rows[0]["year"] == 2024 and rows[0]["report_year"] == 2024
    code, out, _ = cli("archive", "indicators", "--db", str(text_archive), "--csv")
    assert out.splitlines()[0] == "name,documents,results,targets"
    assert any(line.startswith("地区生产总值,") for line in out.splitlines())


# ------------------------------------------------------------------ list, show, export, remove, re-add


@needs_other
def test_list_show_and_export_round_trip(text_archive: Path, tmp_path: Path) -> None:
    code, out, _ = cli("archive", "list", "--db", str(text_archive), "--json")
    docs = json.loads(out)
    assert len(docs) == 9 and {d["region"] for d in docs} >= {"新源县", "安徽省", "云南省"}
    code, out, _ = cli("archive", "show", "1", "--db", str(text_archive))
    assert code == 0 and "新源县" in out and "outline:" in out
    code, out, _ = cli("archive", "show", "1", "--db", str(text_archive), "--document")
    shown = Document.from_dict(json.loads(out))
    from xyconvert.pipeline import load_document

    original = load_document(SAMPLES / "seed_report.txt")
    assert [b.to_dict() for b in shown.blocks] == [b.to_dict() for b in original.blocks]
    target = tmp_path / "all.jsonl"
    code, _, _ = cli("archive", "export", "--jsonl", "-o", str(target), "--db", str(text_archive))
    lines = target.read_text(encoding="utf-8").splitlines()
    assert code == 0 and len(lines) == 9
    first = json.loads(lines[0])
    assert Document.from_dict(first).to_dict()["blocks"] == shown.to_dict()["blocks"]
    assert first["indicators"] and first["glossary"] and first["archive"]["region"] == "新源县"
    code, _, err = cli("archive", "show", "999", "--db", str(text_archive))
    assert code == 3 and "999" in err


def test_add_is_idempotent_remove_and_readd(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    src = tmp_path / "report.txt"
    src.write_bytes((SAMPLES / "seed_report.txt").read_bytes())
    code, out, _ = cli("archive", "add", str(src), "--db", str(db), "--json")
    assert json.loads(out)["summary"]["added"] == 1
    code, out, _ = cli("archive", "add", str(src), "--db", str(db), "--json")
    assert json.loads(out)["summary"] == {"added": 0, "replaced": 0, "unchanged": 1, "failed": 0}
    assert hits_json(db, "那拉提")
    code, _, _ = cli("archive", "remove", "1", "--db", str(db))
    assert code == 0 and hits_json(db, "那拉提") == []
    assert cli("archive", "check", "--db", str(db))[0] == 0
    assert sqlite3.connect(str(db)).execute("SELECT count(*) FROM blocks_fts").fetchone()[0] == 0
    code, out, _ = cli("archive", "add", str(src), "--db", str(db), "--json")
    assert json.loads(out)["summary"]["added"] == 1 and hits_json(db, "那拉提")
    # The file changes: the new version replaces the old one.
    src.write_text(src.read_text(encoding="utf-8").replace("那拉提", "那拉堤"), encoding="utf-8")
    code, out, _ = cli("archive", "add", str(src), "--db", str(db), "--json")
    assert json.loads(out)["summary"]["replaced"] == 1
    assert hits_json(db, "那拉提") == [] and hits_json(db, "那拉堤")
    code, out, _ = cli("archive", "list", "--db", str(db), "--json")
    assert len(json.loads(out)) == 1
    assert cli("archive", "check", "--db", str(db))[0] == 0
    code, _, err = cli("archive", "remove", "42", "--db", str(db))
    assert code == 3 and "42" in err


def test_import_our_json_equals_converting(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, _, err = cli("convert", str(SAMPLES / "seed_report.txt"), "-o", str(out_dir), "--to", "json")
    assert code == 0, err
    db = tmp_path / "j.sqlite"
    code, out, _ = cli("archive", "add", str(out_dir / "seed_report.json"), "--db", str(db), "--json")
    assert json.loads(out)["results"][0]["status"] == "added"
    # The text file has the sha256 the JSON records: the same source, nothing to add.
    code, out, _ = cli("archive", "add", str(SAMPLES / "seed_report.txt"), "--db", str(db), "--json")
    assert json.loads(out)["results"][0]["status"] == "unchanged"
    conn = open_archive(db)
    row = conn.execute("SELECT imported_from, region, year FROM documents").fetchone()
    assert tuple(row) == ("json", "新源县", 2024)
    terms = {r[0] for r in conn.execute("SELECT zh FROM terms")}
    assert "政府工作报告" in terms
    assert conn.execute("SELECT count(*) FROM indicators").fetchone()[0] > 10


def test_json_carries_indicators_and_import_keeps_them(tmp_path: Path) -> None:
    code, _, err = cli("convert", str(SAMPLES / "seed_report.txt"), "-o", str(tmp_path / "out"), "--to", "json")
    assert code == 0, err
    data = json.loads((tmp_path / "out" / "seed_report.json").read_text(encoding="utf-8"))
    # samples/seed_gold.md: 主要预期目标是：地区生产总值152.11亿元、增长8.5%
    grp = [i for i in data["indicators"] if i["zh"] == "地区生产总值" and i["period"] == "target"]
    assert grp and grp[0]["value"]["value"] == "15211000000" and grp[0]["growth"]["value"] == "8.5"
    code, _, err = cli("convert", str(SAMPLES / "seed_report.txt"), "-o", str(tmp_path / "one.json"))
    assert code == 0, err  # one named output file: the same JSON
    assert json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))["indicators"] == data["indicators"]

    def stored(json_data: dict, name: str) -> list[dict]:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(json_data, ensure_ascii=False), encoding="utf-8")
        conn = open_archive(tmp_path / f"{name}.sqlite")
        assert add_paths(conn, [path])[0].status == "added"
        return [json.loads(r[0]) for r in conn.execute("SELECT data FROM indicators ORDER BY id")]

    assert stored(data, "new") == data["indicators"]
    # An older JSON without them, or with a malformed list: computed, the same ones.
    older = {k: v for k, v in data.items() if k != "indicators"}
    assert stored(older, "old") == data["indicators"]
    assert stored({**data, "indicators": [{"zh": 1}]}, "bad") == data["indicators"]
    # What the JSON says is what is stored (the import does not redo the briefing's work).
    edited = json.loads(json.dumps(data))
    edited["indicators"][0]["value"] = {"value": "1", "unit": "元"}
    assert stored(edited, "edited")[0]["value"] == {"value": "1", "unit": "元"}


def test_bad_inputs_fail_one_by_one(tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite"
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 99}', encoding="utf-8")
    code, _, err = cli("archive", "add", str(bad), str(SAMPLES / "seed_report.txt"), str(tmp_path / "nope.txt"),
                       "--db", str(db))
    assert code == 8
    assert "bad.json: not an xyconvert JSON document" in err and "nope.txt: no such file" in err
    assert "Traceback" not in err
    assert len(queries.list_documents(open_archive(db))) == 1


def test_json_with_a_byte_order_mark_imports_and_broken_json_fails_clearly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = cli("convert", str(SAMPLES / "seed_report.txt"), "-o", str(out), "--to", "json")
    assert code == 0, err
    plain = (out / "seed_report.json").read_bytes()
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + plain)  # as Windows editors save it
    (tmp_path / "cut.json").write_bytes(plain[: len(plain) // 2])
    (tmp_path / "gb18030.json").write_bytes(plain.decode("utf-8").encode("gb18030"))
    db = tmp_path / "j.sqlite"
    code, _, err = cli("archive", "add", *(str(tmp_path / n) for n in ("bom.json", "cut.json", "gb18030.json")),
                       "--db", str(db))
    assert code == 8
    lines = err.strip().splitlines()
    assert any("cut.json: not an xyconvert JSON document" in line for line in lines), err
    assert any("gb18030.json: not an xyconvert JSON document" in line for line in lines), err
    assert "Traceback" not in err
    conn = open_archive(db)
    (doc,) = queries.list_documents(conn)
    stored = [r[0] for r in conn.execute("SELECT text FROM blocks ORDER BY seq")]
    assert stored == [b["text"] for b in json.loads(plain)["blocks"]]


# ------------------------------------------------------------------ schema, check


def test_migrations_run_in_order_and_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite"
    conn = open_archive(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    ran: list[int] = []
    steps = [lambda c, k=k: ran.append(k) for k in range(SCHEMA_VERSION + 2)]
    assert migrate(conn, steps) == SCHEMA_VERSION
    assert ran == [SCHEMA_VERSION, SCHEMA_VERSION + 1]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 2
    conn.close()
    code, _, err = cli("archive", "list", "--db", str(db))
    assert code == 4 and "newer" in err
    other = tmp_path / "other.sqlite"
    c = sqlite3.connect(str(other))
    c.execute("CREATE TABLE t (x)")
    c.commit()
    c.close()
    code, _, err = cli("search", "碳", "--db", str(other))
    assert code == 4 and "not an xyconvert archive" in err
    code, _, err = cli("archive", "list", "--db", str(tmp_path / "missing.sqlite"))
    assert code == 4 and "no archive here" in err


def _old_archive(db: Path, version: int, paths: list[Path]) -> sqlite3.Connection:
    """An archive at schema ``version`` (< 6) holding ``paths``, added by today's code: the
    column it writes since v6 is there while it adds, then dropped as it was not yet."""
    from xyconvert.archive.schema import MIGRATIONS, connect

    conn = connect(db)
    migrate(conn, MIGRATIONS[:version])
    conn.execute("ALTER TABLE blocks ADD COLUMN tokens_digest BLOB")
    add_paths(conn, paths)
    conn.execute("ALTER TABLE blocks DROP COLUMN tokens_digest")
    return conn


def test_a_version_1_archive_is_migrated_with_its_documents(tmp_path: Path) -> None:
    db = tmp_path / "v1.sqlite"
    conn = _old_archive(db, 1, [SAMPLES / "seed_report.txt"])  # as the first release left it
    conn.close()
    conn = open_archive(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 2
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "documents_region" in indexes and "terms_zh" not in indexes
    assert queries.check(conn) == []
    assert {h.region for h in search(conn, "那拉提", region="新源")} == {"新源县"}
    plan = " ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN SELECT DISTINCT region FROM documents"))
    assert "documents_region" in plan


def test_a_version_3_archive_moves_to_the_ascii_tokenizer_with_the_same_hits(tmp_path: Path) -> None:
    db = tmp_path / "v3.sqlite"
    conn = _old_archive(db, 3, [SAMPLES / "seed_report.txt"])  # full-text table with unicode61, as before v4
    queries_ = ["碳", "乡村振兴", "發展", "GDP", "5.5%", "一带一路", "那拉提"]

    def hits(c: sqlite3.Connection) -> dict[str, list[tuple[int, int]]]:
        return {q: sorted((h.doc_id, h.block) for h in search(c, q, limit=100_000)) for q in queries_}

    before = hits(conn)
    assert "unicode61" in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'blocks_fts'").fetchone()[0]
    conn.close()
    conn = open_archive(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 4
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'blocks_fts'").fetchone()[0]
    assert "ascii" in sql and "unicode61" not in sql
    assert "content=''" in sql  # v6: no copy of the token text
    assert conn.execute("SELECT v FROM blocks_fts_config WHERE k = 'hashsize'").fetchone()[0] == 16 * 1024 * 1024
    assert conn.execute("SELECT count(*) FROM blocks WHERE tokens_digest IS NULL").fetchone()[0] == 0
    assert queries.check(conn) == []
    after = hits(conn)
    assert after == before
    # and the hits are the blocks whose folded text holds the folded query (outside oracle)
    texts = {(r[0], r[1]): fold(r[2]) for r in conn.execute("SELECT doc_id, seq, text FROM blocks")}
    for q in ("碳", "乡村振兴", "發展", "那拉提"):
        assert after[q] == sorted(k for k, t in texts.items() if fold(q) in t), q
    assert after["碳"] and after["那拉提"]
    # the document added before v6 is removed with the tokens recomputed from its text
    (doc_id,) = {d for d, _ in after["碳"]}
    assert queries.remove_document(conn, doc_id)
    assert conn.execute("SELECT count(*) FROM blocks_fts").fetchone()[0] == 0
    assert search(conn, "碳") == [] and queries.check(conn) == []


def test_check_finds_damage(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    conn = open_archive(db)
    add_paths(conn, [SAMPLES / "seed_report.txt"])
    assert queries.check(conn) == []
    conn.execute("UPDATE blocks SET text = text || '附加' WHERE seq = 5")
    # block 7's index row removed (a contentless table takes the tokens it was indexed with)
    rowid, text, btype, year, region = conn.execute(
        "SELECT b.id, b.text, b.type, d.year, d.region FROM blocks b JOIN documents d ON d.id = b.doc_id"
        " WHERE b.seq = 7"
    ).fetchone()
    conn.execute("INSERT INTO blocks_fts (blocks_fts, rowid, tokens, facets) VALUES ('delete', ?, ?, ?)",
                 (rowid, index_tokens(text), facet_tokens(year, region, btype)))
    conn.close()
    code, _, err = cli("archive", "check", "--db", str(db))
    assert code == 4
    assert "block text differs" in err and "block 7: not in the full-text index" in err
    assert "indexed with other tokens" in err


def test_tokens_that_no_longer_match_the_index_make_a_removal_rebuild_it(tmp_path: Path) -> None:
    # As if this xyconvert tokenized some of a document's characters differently from the
    # one that indexed it (another OpenCC or Unicode version): its digests no longer match.
    db = tmp_path / "r.sqlite"
    conn = open_archive(db)
    paths = _json_copies(tmp_path, 3)
    assert [o.status for o in add_paths(conn, paths)] == ["added"] * 3
    ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
    conn.execute("UPDATE blocks SET tokens_digest = x'00' WHERE doc_id = ? AND seq < 3", (ids[0],))
    conn.execute("UPDATE blocks SET tokens_digest = x'00' WHERE doc_id = ? AND seq = 0", (ids[1],))
    assert any("indexed with other tokens" in p for p in queries.check(conn))
    assert queries.remove_document(conn, ids[0])  # its rows cannot be removed one by one: rebuilt
    assert queries.check(conn) == []  # the others' digests are made anew too
    texts = {(r[0], r[1]): fold(r[2]) for r in conn.execute("SELECT doc_id, seq, text FROM blocks")}
    for q in ("碳", "乡村振兴", "發展"):
        assert sorted((h.doc_id, h.block) for h in search(conn, q, limit=100_000)) == sorted(
            k for k, t in texts.items() if fold(q) in t
        ) != []
    assert conn.execute("SELECT count(*) FROM blocks_fts").fetchone()[0] == len(texts)
    conn.close()
    conn = open_archive(db)
    conn.execute("UPDATE blocks SET tokens_digest = x'00' WHERE doc_id = ?", (ids[2],))
    conn.close()
    code, _, err = cli("archive", "check", "--db", str(db))
    assert code == 4 and "--reindex" in err
    code, out, err = cli("archive", "check", "--reindex", "--db", str(db))
    assert code == 0, err
    assert f"re-indexed {len(texts)} blocks" in err and out.startswith("ok: 2 documents")


def test_search_api_limit(tmp_path: Path) -> None:
    conn = open_archive(tmp_path / "s.sqlite")
    add_paths(conn, [SAMPLES / "seed_report.txt"])
    assert len(search(conn, "发展", limit=3)) == 3
    assert search(conn, "，。") == []


def test_directory_input_and_db_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes((SAMPLES / "seed_report.txt").read_bytes())
    code, _, err = cli("convert", str(src / "a.txt"), "-o", str(tmp_path / "out"), "--to", "json")
    assert code == 0, err
    (tmp_path / "out" / "a.json").rename(src / "b.json")  # same source as a.txt
    (src / "notes.docx.bak").write_bytes(b"PK\x03\x04")  # not an input suffix: not taken
    monkeypatch.setenv("XYCONVERT_DB", str(tmp_path / "env.sqlite"))
    code, out, err = cli("archive", "add", str(src), "--json")
    assert code == 0, err
    assert [Path(r["input"]).name for r in json.loads(out)["results"]] == ["a.txt", "b.json"]
    assert json.loads(out)["summary"] == {"added": 1, "replaced": 0, "unchanged": 1, "failed": 0}
    assert (tmp_path / "env.sqlite").exists()
    code, out, _ = cli("search", "扶贫", "--json")
    assert code == 0 and json.loads(out)[0]["source_name"] == "a.txt"


@needs_other
def test_directory_input_takes_docx_reports(tmp_path: Path) -> None:
    # A folder of Word reports (the pipeline reads DOCX): each one archived, searchable by page.
    src = tmp_path / "word"
    src.mkdir()
    docx = sorted(OTHER.glob("*.docx"))[:2]
    for p in docx:
        (src / p.name).write_bytes(p.read_bytes())
    db = tmp_path / "w.sqlite"
    code, out, err = cli("archive", "add", str(src), "--db", str(db), "--json")
    assert code == 0, err
    assert [Path(r["input"]).name for r in json.loads(out)["results"]] == [p.name for p in docx]
    conn = open_archive(db)
    formats = [r[0] for r in conn.execute("SELECT source_format FROM documents ORDER BY id")]
    assert formats == ["docx", "docx"]
    # Every block holding 高质量发展 is found (Python substring search over the stored text).
    expected = {(d, s) for d, s, text in stored_blocks(db) if "高质量发展" in text}
    assert len({d for d, _ in expected}) == 2
    assert {(h["doc_id"], h["block"]) for h in hits_json(db, "高质量发展")} == expected
    assert cli("archive", "check", "--db", str(db))[0] == 0


def _archive_rows(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(str(db))
    rows = {
        "documents": [r[:-1] for r in conn.execute("SELECT * FROM documents ORDER BY id")],  # not added_at
        "blocks": conn.execute("SELECT * FROM blocks ORDER BY id").fetchall(),
        "index": conn.execute("SELECT rowid, tokens, facets FROM blocks_fts ORDER BY rowid").fetchall(),
        "terms": conn.execute("SELECT * FROM terms ORDER BY doc_id, zh").fetchall(),
        "indicators": conn.execute("SELECT * FROM indicators ORDER BY id").fetchall(),
    }
    conn.close()
    return rows


@needs_other
def test_json_import_in_groups_and_with_jobs_equals_one_document_per_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xyconvert.archive import ingest

    sources = [str(SAMPLES / "seed_report.txt")] + sorted(str(p) for p in OTHER.glob("*.gold.md"))
    code, _, err = cli("convert", *sources, "-o", str(tmp_path / "json"), "--to", "json", "-q")
    assert code == 0, err
    paths = sorted(p for p in (tmp_path / "json").glob("*.json") if not p.name.startswith("."))  # not the manifest
    assert len(paths) == len(sources)

    def archive(name: str, **kw: int) -> Path:
        db = tmp_path / f"{name}.sqlite"
        conn = open_archive(db)
        if kw:
            outcomes = add_paths(conn, paths, **kw)
        else:  # the reference: each document in its own transaction, the model prepared here
            outcomes = [ingest.write(conn, ingest.prepare(p)) for p in paths]
        assert [o.status for o in outcomes] == ["added"] * len(paths)
        assert [o.path for o in outcomes] == paths  # reported in input order
        assert queries.check(conn) == []
        conn.close()
        return db

    reference = archive("one_each")
    grouped = archive("grouped", jobs=1)
    monkeypatch.setattr(ingest, "GROUP_DOCUMENTS", 2)  # several groups, one left open at the end
    parallel = archive("jobs2", jobs=2)
    want = _archive_rows(reference)
    assert len(want["documents"]) == len(paths) and len(want["index"]) == len(want["blocks"]) > 500
    assert _archive_rows(grouped) == want
    assert _archive_rows(parallel) == want

    def exported(db: Path) -> list[dict]:
        docs = [json.loads(line) for line in cli("archive", "export", "--jsonl", "--db", str(db))[1].splitlines()]
        for d in docs:
            assert d["archive"].pop("added_at")  # when it was added: the one thing that differs
        return docs

    assert exported(grouped) == exported(reference) == exported(parallel) != []
    for q in ["碳", "扶贫", "乡村振兴", "發展", "gdp"]:
        assert hits_json(grouped, q) == hits_json(reference, q) == hits_json(parallel, q)


def _json_copies(tmp_path: Path, n: int) -> list[Path]:
    """``n`` JSON outputs of the sample report, each a distinct source (sha256 and last block)."""
    code, _, err = cli("convert", str(SAMPLES / "seed_report.txt"), "-o", str(tmp_path / "one"), "--to", "json")
    assert code == 0, err
    data = json.loads((tmp_path / "one" / "seed_report.json").read_text(encoding="utf-8"))
    paths = []
    for k in range(n):
        copy = json.loads(json.dumps(data))
        copy["metadata"]["source_sha256"] = f"{k:064x}"
        copy["blocks"][-1]["text"] += f"（第{k}份）"
        p = tmp_path / f"copy{k:02d}.json"
        p.write_text(json.dumps(copy, ensure_ascii=False), encoding="utf-8")
        paths.append(p)
    return paths
