"""The offline engine end to end on a tiny but real Argos package (tests/tinymodel.py).

The model is random, so its English is gibberish: we assert structure — one English
block per Chinese block, tables skipped, amounts and glossary terms restored, no
placeholder left, identical sentences translated once, cache hits on a re-run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from xyconvert.errors import NoTranslationModel
from xyconvert.model import Block, Document, Metadata
from xyconvert.translate import packages
from xyconvert.translate.engine import Engine, EngineOptions, translate_document_detailed

ROOT = Path(__file__).resolve().parents[1]
TERMS = {
    "高质量发展": "high-quality development",
    "乡村振兴": "rural revitalization",
    "稳中求进工作总基调": "general principle of pursuing progress while ensuring stability",
}


def sample_doc(limit: int = 40) -> Document:
    blocks = []
    for line in (ROOT / "samples" / "seed_gold.md").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        if line.startswith("#"):
            blocks.append(Block("heading", line.lstrip("# ")))
        else:
            blocks.append(Block("paragraph", line))
    blocks = blocks[:limit]
    blocks.insert(3, Block("table", "指标 数值", rows=[["指标", "数值"], ["GDP", "137.46亿元"]]))
    return Document(Metadata(source_name="sample.md"), blocks)


def test_package_installed_and_found(argos_env) -> None:
    info = argos_env["package"]
    assert info.from_code == "zh" and info.to_code == "en" and info.usable
    assert packages.find_package("zh", "en") == info
    assert packages.require_model("x.pdf").path == info.path


def test_translate_document_structure(argos_env) -> None:
    doc = sample_doc()
    result = translate_document_detailed(doc, terms=TERMS, glossary_version="t1")
    assert len(result.blocks) == len(doc.blocks)
    for block, english in zip(doc.blocks, result.blocks, strict=True):
        if block.type == "table":
            assert english is None
            continue
        assert english and english.strip()
        assert not re.search(r"QX\s?\d", english)  # every placeholder restored
    by_text = dict(zip((b.text for b in doc.blocks), result.blocks, strict=True))
    gdp = next(t for t in by_text if "137.46亿元" in t)
    for rendering in ("RMB 13.746 billion", "USD 31.41 million", "8.4%", "RMB 12.799 billion"):
        assert rendering in by_text[gdp]
    # Headings keep their marker, in English form.
    assert by_text["一、2023年工作回顾"].startswith("I. ")
    # Glossary fidelity is reported per term, and every occurrence is honoured.
    report = {t.zh: t for t in result.terms}
    assert set(report) <= set(TERMS)
    assert report["高质量发展"].occurrences >= 1
    for t in report.values():
        assert t.honoured == t.occurrences == t.in_place + t.reinserted
        assert all(TERMS[t.zh].lower() in result.blocks[b].lower() for b in t.blocks)
    assert result.stats.compute_type == "int8" and result.stats.device == "cpu"


def test_identical_sentences_translated_once_and_cached(argos_env) -> None:
    para = "我们坚持以人民为中心的发展思想。全年接待游客1710.69万人次。"
    doc = Document(Metadata(), [Block("paragraph", para)] * 3 + [Block("paragraph", "新的句子。")])
    cache = argos_env["tmp"] / "dedup.sqlite3"
    engine = Engine(argos_env["package"], EngineOptions(), cache_path=cache)
    first = translate_document_detailed(doc, engine=engine)
    assert first.stats.segments == 7 and first.stats.unique == 3
    assert first.stats.translated == 3 and first.stats.cached == 0
    assert len(set(first.blocks[:3])) == 1
    assert "17.1069 million visits" in first.blocks[0]

    calls: list[tuple[int, int]] = []
    second = translate_document_detailed(
        doc, engine=engine, progress=lambda d, t: calls.append((d, t))
    )
    assert second.blocks == first.blocks
    assert second.stats.cached == 3 and second.stats.translated == 0
    assert calls[-1] == (3, 3)

    # Another glossary version is another cache namespace.
    other = Engine(argos_env["package"], EngineOptions(), glossary_version="v2", cache_path=cache)
    assert translate_document_detailed(doc, engine=other).stats.translated == 3


def test_rerun_of_whole_document_hits_cache(argos_env) -> None:
    doc = sample_doc(25)
    first = translate_document_detailed(doc, terms=TERMS, glossary_version="rerun")
    second = translate_document_detailed(doc, terms=TERMS, glossary_version="rerun")
    assert second.blocks == first.blocks
    assert second.stats.translated == 0 and second.stats.cached == first.stats.unique > 0


def test_progress_reports_every_sentence(argos_env) -> None:
    doc = Document(
        Metadata(), [Block("paragraph", f"第{i}句话说明工作进展。" * 2) for i in range(30)]
    )
    engine = Engine(argos_env["package"], EngineOptions(use_cache=False, max_batch_tokens=64))
    calls: list[tuple[int, int]] = []
    translate_document_detailed(doc, engine=engine, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 30) and calls[-1] == (30, 30)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_amount_only_segments_skip_mt(argos_env) -> None:
    engine = Engine(argos_env["package"], EngineOptions(use_cache=False))
    out = engine.translate_texts(["137.46亿元。", None])
    assert out.blocks == ["RMB 13.746 billion.", None]
    assert out.stats.translated == 0


def test_inline_term_mode(argos_env) -> None:
    engine = Engine(argos_env["package"], EngineOptions(use_cache=False, term_mode="inline"))
    out = engine.translate_texts(["扎实推进高质量发展。"], terms=TERMS)
    assert "high-quality development" in out.blocks[0]
    assert out.terms[0].honoured == 1


def test_no_model_raises_before_anything(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "empty"))
    with pytest.raises(NoTranslationModel) as err:
        translate_document_detailed(sample_doc(3))
    assert err.value.exit_code == 7
    assert "xyconvert models install" in err.value.problem
    assert err.value.path == "sample.md"


def test_engine_does_not_import_stanza_or_torch(argos_env) -> None:
    code = (
        "import sys\n"
        "from xyconvert.model import Block, Document, Metadata\n"
        "from xyconvert.translate import translate_document\n"
        "doc = Document(Metadata(), [Block('paragraph', '实现地区生产总值137.46亿元。')])\n"
        "out = translate_document(doc)\n"
        "assert 'RMB 13.746 billion' in out[0], out\n"
        "heavy = [m for m in ('stanza', 'torch', 'spacy', 'argostranslate.translate') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"


def test_light_imports() -> None:
    code = (
        "import sys\n"
        "import xyconvert.translate, xyconvert.translate.numbers, xyconvert.translate.sentences\n"
        "from xyconvert.translate import convert_numbers\n"
        "import xyconvert.cli\n"
        "print([m for m in ('ctranslate2', 'sentencepiece', 'argostranslate', 'numpy') if m in sys.modules])\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"


def test_models_cli(argos_env, tmp_path, monkeypatch) -> None:
    import json

    from click.testing import CliRunner

    from xyconvert.cli import main

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    runner = CliRunner()
    res = runner.invoke(main, ["models", "list"])
    assert res.exit_code == 0 and "No translation packages" in res.output
    res = runner.invoke(main, ["models", "install", str(argos_env["archive"])])
    assert res.exit_code == 0, res.output
    assert "Installed zh→en" in res.output
    res = runner.invoke(main, ["models", "list", "--json"])
    data = json.loads(res.output)
    assert [p["name"] for p in data["packages"]] == ["translate-zh_en-tiny"]
    assert data["packages"][0]["active"] and data["packages"][0]["usable"]
    bad = tmp_path / "bad.argosmodel"
    bad.write_text("not a zip")
    res = runner.invoke(main, ["models", "install", str(bad)])
    assert res.exit_code == 4
    res = runner.invoke(main, ["models", "remove", "zh", "en"])
    assert res.exit_code == 0 and "Removed" in res.output
    assert packages.find_package() is None
    res = runner.invoke(main, ["models", "remove", "zh", "en"])
    assert res.exit_code == 7 and res.output.startswith("xyconvert: no zh→en package installed")


def test_models_install_offline_fails_fast(tmp_path, monkeypatch) -> None:
    import time

    from click.testing import CliRunner

    from xyconvert.cli import main

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    # An unroutable index address: the request must fail (not hang) and explain the
    # offline route. 127.0.0.1:9 (discard port) refuses connections at once.
    from argostranslate import settings

    monkeypatch.setattr(settings, "remote_package_index", "http://127.0.0.1:9/index.json")
    t0 = time.perf_counter()
    res = CliRunner().invoke(main, ["models", "install", "zh", "en"])
    assert time.perf_counter() - t0 < 15
    assert res.exit_code == 7
    assert "models install FILE.argosmodel" in res.output
