"""Daily use like pandoc: -o FILE, -o -, stdin, --from, --reference-doc, safe folders."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from xyconvert.cli import main
from xyconvert.commands.options import complete_formats

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PDF = ROOT / "samples" / "seed_clean.pdf"


def run(*args: str, stdin: bytes | None = None):  # noqa: ANN201 - click's Result
    return CliRunner().invoke(main, list(args), input=stdin)


@pytest.fixture(scope="module")
def reference_md(tmp_path_factory, seed_report: Path) -> str:  # noqa: ANN001
    out = tmp_path_factory.mktemp("ref")
    result = run("convert", str(seed_report), "-o", str(out))
    assert result.exit_code == 0, result.output
    return (out / "seed_report.zh.md").read_text(encoding="utf-8")


def test_output_file_by_extension(tmp_path: Path, seed_report: Path, reference_md: str) -> None:
    result = run("convert", str(seed_report), "-o", str(tmp_path / "report.md"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == reference_md
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # no manifest, nothing else
    result = run("convert", str(seed_report), "-o", str(tmp_path / "report.docx"))
    assert result.exit_code == 0, result.output
    d = docx.Document(str(tmp_path / "report.docx"))
    assert d.paragraphs[0].style.name == "Title" and d.paragraphs[0].text == "政府工作报告"
    result = run("convert", str(seed_report), "-o", str(tmp_path / "report.html"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_stdout_and_stdin(seed_report: Path, reference_md: str) -> None:
    result = run("convert", str(seed_report), "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout == reference_md
    result = run("convert", "-", stdin=seed_report.read_bytes())  # stdin goes to stdout by default
    assert result.exit_code == 0, result.output
    body = reference_md.split("---\n\n", 1)[1]
    assert result.stdout.split("---\n\n", 1)[1] == body  # same text; only the source name differs
    result = run("convert", "-", "--to", "txt", stdin=SAMPLE_PDF.read_bytes())
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("政府工作报告\n")


def test_from_overrides_detection(tmp_path: Path, seed_report: Path) -> None:
    result = run("convert", str(seed_report), "--from", "pdf", "-o", "-")
    assert result.exit_code == 4 and "not a PDF" in result.output
    misnamed = tmp_path / "report.pdf"
    misnamed.write_bytes(seed_report.read_bytes())
    assert run("convert", str(misnamed), "-o", "-").exit_code == 4  # by name: a PDF, and it is not
    result = run("convert", str(misnamed), "--from", "txt", "-o", "-")
    assert result.exit_code == 0 and "# 政府工作报告" in result.stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (("-o", "-", "--to", "docx"), "one text format"),
        (("-o", "-", "--to", "md,txt"), "one text format"),
        (("--simplified", "--traditional"), "exclude each other"),
        (("--traditional", "--simplified"), "exclude each other"),
    ],
)
def test_usage_errors(tmp_path: Path, seed_report: Path, args: tuple[str, ...], message: str) -> None:
    args = tuple(a.replace("OUT", str(tmp_path)) for a in args)
    result = run("convert", str(seed_report), *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not list(tmp_path.iterdir())


def test_a_name_with_an_extension_is_a_directory_when_several_formats_are_asked(
    tmp_path: Path, seed_report: Path
) -> None:
    # As before -o FILE existed: scripts that name output folders after their inputs keep working.
    for to in ("md,json", "docx"):
        out = tmp_path / to / "report.md"
        result = run("convert", str(seed_report), "-o", str(out), "--to", to)
        assert result.exit_code == 0, result.output
        assert out.is_dir() and (out / "seed_report.zh.md").is_file() == ("md" in to)


def test_one_file_for_several_inputs_is_a_usage_error(tmp_path: Path, seed_report: Path) -> None:
    result = run("convert", str(seed_report), str(SAMPLE_PDF), "-o", str(tmp_path / "r.md"))
    assert result.exit_code == 2 and "several inputs" in result.output


def test_impossible_output_directory_is_exit_9(tmp_path: Path, seed_report: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    for out in (afile / "sub", afile):
        result = run("convert", str(seed_report), "-o", str(out))
        assert result.exit_code == 9, result.output
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    if Path("/proc/self").is_dir():
        result = run("convert", str(seed_report), "-o", "/proc/xyconvert-test")
        assert result.exit_code == 9, result.output


def test_rerun_says_up_to_date(tmp_path: Path, seed_report: Path) -> None:
    assert run("convert", str(seed_report), "-o", str(tmp_path)).exit_code == 0
    result = run("convert", str(seed_report), "-o", str(tmp_path))
    assert result.exit_code == 0
    assert "1 up to date; --force to redo" in result.output


def test_folder_run_never_reads_its_outputs(tmp_path: Path, seed_report: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_bytes(seed_report.read_bytes())
    for formats in ("md,txt", "md", "txt,docx"):  # the manifest changes between runs
        result = run("convert", str(folder), "-o", str(folder), "--to", formats, "--json")
        assert result.exit_code == 0, result.output
        inputs = [r["input"] for r in json.loads(result.stdout)["results"]]
        assert inputs == [str(folder / "a.txt")], inputs
    # OUT inside the walked folder is skipped as a whole.
    assert run("convert", str(folder), "-o", str(folder / "out")).exit_code == 0
    (folder / "out" / "notes.txt").write_text("不是报告", encoding="utf-8")
    result = run("convert", str(folder), "-o", str(folder / "out"), "--json")
    inputs = [r["input"] for r in json.loads(result.stdout)["results"]]
    assert inputs == [str(folder / "a.txt")], inputs


def test_reference_doc_and_its_alias(tmp_path: Path, seed_report: Path) -> None:
    template = tmp_path / "template.docx"
    d = docx.Document()
    d.styles["Heading 1"].font.name = "Arial"
    d.save(str(template))
    for option in ("--reference-doc", "--reference-docx"):
        out = tmp_path / option.strip("-")
        result = run("convert", str(seed_report), "-o", str(out), "--to", "docx", option, str(template))
        assert result.exit_code == 0, result.output
        assert docx.Document(str(out / "seed_report.zh.docx")).styles["Heading 1"].font.name == "Arial"
    result = run("convert", str(seed_report), "-o", str(tmp_path / "md"), "--reference-doc", str(template))
    assert result.exit_code == 0 and "no effect without a DOCX output" in result.output


def test_brief_to_a_file_and_stdout(tmp_path: Path, seed_report: Path) -> None:
    result = run("brief", str(seed_report), "-o", str(tmp_path / "brief.md"), "--no-mt")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md"]
    text = (tmp_path / "brief.md").read_text(encoding="utf-8")
    result = run("brief", "-", "-o", "-", "--no-mt", stdin=seed_report.read_bytes())
    assert result.exit_code == 0, result.output
    assert result.stdout == text.replace("seed_report.txt", "<stdin>")  # the source is named


def test_format_completion() -> None:
    names = [c.value for c in complete_formats(None, None, "")]  # type: ignore[arg-type]
    assert {"md", "txt", "json", "docx", "html", "xliff", "all"} == set(names)
    assert [c.value for c in complete_formats(None, None, "md,d")] == ["md,docx"]  # type: ignore[arg-type]


def test_keep_tree_mirrors_folders(tmp_path: Path, seed_report: Path) -> None:
    (tmp_path / "in" / "a").mkdir(parents=True)
    (tmp_path / "in" / "b").mkdir()
    (tmp_path / "in" / "a" / "report.txt").write_bytes(seed_report.read_bytes())
    (tmp_path / "in" / "b" / "report.pdf").write_bytes(SAMPLE_PDF.read_bytes())
    out = tmp_path / "out"
    result = run("convert", str(tmp_path / "in"), "-o", str(out), "--jobs", "1")
    assert result.exit_code == 8 and "already used" in result.output  # flat: the names collide
    assert "  failed: " in result.output  # the summary repeats the reason
    result = run("convert", str(tmp_path / "in"), "-o", str(out), "--keep-tree", "--jobs", "1")
    assert result.exit_code == 0, result.output
    a = (out / "a" / "report.zh.md").read_text(encoding="utf-8")
    b = (out / "b" / "report.zh.md").read_text(encoding="utf-8")
    assert "source: \"report.txt\"" in a and "source: \"report.pdf\"" in b
    result = run("convert", str(tmp_path / "in"), "-o", str(out), "--keep-tree", "--jobs", "1", "-v")
    assert result.exit_code == 0
    assert "skipped" in result.output and "2 up to date; --force to redo" in result.output


def test_quiet_prints_only_errors(tmp_path: Path, seed_report: Path) -> None:
    result = run("convert", str(seed_report), "-o", str(tmp_path), "-q")
    assert result.exit_code == 0 and result.output == ""
    result = run("convert", str(tmp_path / "missing.txt"), "-o", str(tmp_path), "-q")
    assert result.exit_code == 3 and "missing.txt" in result.output
    assert run("convert", str(seed_report), "-q", "-v").exit_code == 2


def test_shared_options_say_the_same_in_every_command() -> None:
    """An option shared by several commands is one definition: --pdf-engine has the same
    choices and wording wherever a command reads PDFs."""
    import click

    ctx = click.Context(main)
    seen = {}
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        for param in getattr(command, "params", []):
            if param.name == "pdf_engine":
                seen[name] = (tuple(param.type.choices), param.help)
    assert {"convert", "brief", "repair", "check"} <= set(seen)
    first_help = seen["convert"][1]
    for name, (choices, help_text) in seen.items():
        assert choices == ("pdfium", "pdfplumber"), name
        assert help_text.startswith(first_help), name
