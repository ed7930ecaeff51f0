# xyconvert — every target sets itself up on a fresh machine (creates .venv, installs).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEV_STAMP := $(VENV)/.dev-stamp
ARGOS_SPEC ?= argostranslate>=1.9,<2

.PHONY: install dev demo test bench lint fuzz samples clean

# The default install: the package and what it imports (~385 MB, bench/bench_install.py).
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e .
	@# argostranslate without its dependencies (stanza, spaCy, PyTorch: ~1.2 GB that
	@# only its own translate() imports; see pyproject.toml). ARGOS_SPEC pins it.
	$(PY) -m pip install -q --no-deps '$(ARGOS_SPEC)'
	@touch $(STAMP)

# Test, lint and sample-making tools on top (pytest, ruff, rapidfuzz, reportlab).
$(DEV_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(DEV_STAMP)

install: $(STAMP)

dev: $(DEV_STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(VENV)/bin/xyconvert convert samples/seed_report.txt samples/*.pdf -o out --to md,txt,json,docx,html
	$(VENV)/bin/xyconvert brief samples/seed_report.txt -o out
	@echo
	@echo "Done. Outputs are in $(CURDIR)/out/:"
	@echo "  <stem>.zh.md, .zh.txt, .json, .zh.docx, .zh.html  clean Chinese of each sample (report text and 5 PDF variants)"
	@echo "  seed_report.brief.md, .brief.docx        the English briefing"
	@echo "  English translation: install a zh-en model (xyconvert models install FILE.argosmodel), add --translate"
	@if command -v soffice >/dev/null; then \
	  soffice --headless --convert-to pdf --outdir out out/seed_report.zh.docx >/dev/null 2>&1 && \
	  echo "LibreOffice rendering of the DOCX: $(CURDIR)/out/seed_report.zh.pdf"; fi

test: $(DEV_STAMP)
	$(PY) -m pytest -q

bench: $(DEV_STAMP)
	$(PY) bench/run.py

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check xyconvert tests bench samples

samples: $(DEV_STAMP)
	$(PY) samples/make_samples.py

clean:
	rm -rf out .pytest_cache .ruff_cache

fuzz: $(DEV_STAMP)
	$(PY) tests/fuzzing/campaign.py --seeds 5 --per-seed 6 --hostile 20 --parallel 2
