# xyconvert — every target sets itself up on a fresh machine (creates .venv, installs).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test bench lint fuzz samples clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# CPU-only PyTorch first: argostranslate pulls stanza -> torch, and a bare
	@# "torch" would resolve to a multi-GB CUDA build. Our engine never imports it.
	$(PY) -m pip install -q torch==2.13.0 || $(PY) -m pip install -q torch --index-url https://download.pytorch.org/whl/cpu || true
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(VENV)/bin/xyconvert convert samples/seed_report.txt samples/*.pdf -o out --to md,txt,json,docx
	$(VENV)/bin/xyconvert brief samples/seed_report.txt -o out
	@echo
	@echo "Done. Outputs are in $(CURDIR)/out/:"
	@echo "  <stem>.zh.md, .zh.txt, .json, .zh.docx  clean Chinese of each sample (report text and 5 PDF variants)"
	@echo "  seed_report.brief.md, .brief.docx        the English briefing"
	@echo "  English translation: install a zh-en model (xyconvert models install FILE.argosmodel), add --translate"
	@if command -v soffice >/dev/null; then \
	  soffice --headless --convert-to pdf --outdir out out/seed_report.zh.docx >/dev/null 2>&1 && \
	  echo "LibreOffice rendering of the DOCX: $(CURDIR)/out/seed_report.zh.pdf"; fi

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/run.py

lint: $(STAMP)
	$(VENV)/bin/ruff check xyconvert tests bench samples

samples: $(STAMP)
	$(PY) samples/make_samples.py

clean:
	rm -rf out .pytest_cache .ruff_cache

fuzz: $(STAMP)
	$(PY) tests/fuzzing/campaign.py --seeds 5 --per-seed 6 --hostile 20 --parallel 2
