# One Makefile drives set-up, tests and the dashboards. Every target creates .venv if missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Re-install only when pyproject.toml changes.
STAMP_TEST := $(VENV)/.installed-test
STAMP_DASH := $(VENV)/.installed-notebooks
# axe-core for the browser tests (package-lock.json pins it); re-installed when the lock changes.
STAMP_NPM  := node_modules/.installed

.PHONY: help test lint unit notebooks dashboard serve-jupyterlab validate docs clean

help:
	@echo "make test       create .venv if missing, install test extras, run every test"
	@echo "make dashboard  create .venv if missing, install, serve the course on http://127.0.0.1:8866/"
	@echo "make serve-jupyterlab  open the modules in JupyterLab (for trainers and authors)"
	@echo "make validate   check every case file in cases/ and that generated docs are current"
	@echo "make notebooks  build notebooks/*.ipynb from their jupytext sources (notebooks/*.py)"
	@echo "make docs       regenerate docs/case-format.md from the case format"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

$(STAMP_DASH): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[notebooks]"
	touch $@

# Without npm this only warns: the browser tests then skip their axe-core checks on a laptop
# and fail on CI (CI=true), where .ci/run installs npm.
$(STAMP_NPM): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm not found: the browser tests' accessibility checks need it (npm ci)"; fi

lint: $(STAMP_TEST)
	$(BIN)/ruff check .

validate: $(STAMP_TEST)
	$(BIN)/npkit validate cases
	$(BIN)/npkit docs case-format --check

notebooks: $(STAMP_TEST)
	$(BIN)/python tools/build_notebooks.py

# One pytest run: unit, widget and golden tests, every notebook under nbval, and the browser
# tests (tests/browser: one Voila server and headless Chromium). --dist loadscope keeps each
# notebook's cells on one worker and one kernel, and the browser tests (one file) on one worker.
unit: $(STAMP_TEST) $(STAMP_NPM) notebooks
	$(BIN)/python -m pytest -n 2 --dist loadscope --nbval-lax --nbval-current-env \
		tests notebooks/*.ipynb

test: lint validate unit

docs: $(STAMP_TEST)
	$(BIN)/npkit docs case-format

# The course: standalone Voila with npkit's template, one preheated kernel per module, on this
# computer only (npkit/dashboard.py). Nothing is fetched from the internet.
dashboard: notebooks
	$(BIN)/python -m npkit.dashboard --port 8866

serve-jupyterlab: notebooks
	$(BIN)/jupyter lab --notebook-dir=notebooks

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis node_modules
