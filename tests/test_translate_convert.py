"""`convert --translate` end to end, on a tiny real Argos package (see tinymodel.py)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from support.scoring import parse_markdown_blocks

from xyconvert.cli import main


def test_translate_writes_english_and_bilingual(argos_env, tmp_path: Path, seed_report: Path) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    args = ["convert", str(seed_report), "-o", str(out), "--to", "md,json,docx", "--translate"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == sorted(
        f"seed_report.{s}"
        for s in ("zh.md", "json", "zh.docx", "en.md", "bilingual.md", "en.docx", "bilingual.docx")
    )
    zh = parse_markdown_blocks((out / "seed_report.zh.md").read_text())
    en_md = (out / "seed_report.en.md").read_text()
    en = parse_markdown_blocks(en_md)
    # One English block per Chinese block, same kinds and heading levels.
    assert [(k, lv) for k, lv, _ in en] == [(k, lv) for k, lv, _ in zh]
    assert all(text.strip() for _, _, text in en)
    # Numbers are converted by rule, never left to the model.
    assert "RMB 13.746 billion" in en_md and "USD 31.41 million" in en_md
    # Glossary renderings reach the English.
    assert "rural revitalization" in en_md
    data = json.loads((out / "seed_report.json").read_text())
    terms = {t["zh"]: t for t in data["translation"]["terms"]}
    assert terms["乡村振兴"]["honoured"] >= 1
    bilingual = (out / "seed_report.bilingual.md").read_text()
    assert "# 政府工作报告 / " in bilingual and "\n> " in bilingual

    # Re-run: every sentence comes from the cache.
    result = CliRunner().invoke(main, [*args, "--force"])
    assert result.exit_code == 0, result.output
    stats = json.loads((out / "seed_report.json").read_text())["translation"]["stats"]
    assert stats["translated"] == 0 and stats["cached"] == stats["unique"] > 0


def test_translate_without_model_writes_nothing(tmp_path: Path, seed_report: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(seed_report), "-o", str(out), "--translate"])
    assert result.exit_code == 7
    assert "xyconvert models install" in result.output
    assert not out.exists()


def test_cuda_request_without_gpu_falls_back(argos_env, tmp_path: Path, seed_report: Path) -> None:  # noqa: ANN001
    import ctranslate2

    if ctranslate2.get_cuda_device_count():
        import pytest

        pytest.skip("a GPU is visible: the fallback is not exercised")
    out = tmp_path / "out"
    args = ["convert", str(seed_report), "-o", str(out), "--to", "json", "--translate", "--device", "cuda"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    stats = json.loads((out / "seed_report.json").read_text())["translation"]["stats"]
    assert stats["device"] == "cpu"
    assert any("CUDA requested" in w for w in stats["warnings"])
