# One Makefile drives set-up, tests and the dashboards. Every target creates .venv if missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Re-install only when pyproject.toml changes.
STAMP_TEST := $(VENV)/.installed-test
STAMP_DASH := $(VENV)/.installed-notebooks
# axe-core for the browser tests (package-lock.json pins it); re-installed when the lock changes.
STAMP_NPM  := node_modules/.installed
# The gettext catalogues (make catalogues, below).
LOCALE := npkit/i18n/locale
POT := $(LOCALE)/npkit.pot
LANGS := th
PO_FILES := $(foreach l,$(LANGS),$(LOCALE)/$(l)/LC_MESSAGES/npkit.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: help test test-order test-plain lint unit notebooks dashboard serve-jupyterlab validate docs clean bench \
	binder-check workshop-server jupyterhub-smoke catalogues widget-weight

help:
	@echo "make test       create .venv if missing, install test extras, run every test"
	@echo "make test-order the tests again in one process, in a random order (seed printed)"
	@echo "make test-plain the browser tests again with plain kernels (NPKIT_FORK_KERNELS=0)"
	@echo "make dashboard  create .venv if missing, install, serve the course on http://127.0.0.1:8866/"
	@echo "make serve-jupyterlab  open the modules in JupyterLab (for trainers and authors)"
	@echo "make workshop-server  serve the course to a room: Voila behind nginx (docs/deploy.md)"
	@echo "make binder-check  build the Binder environment from binder/ alone, run every module"
	@echo "make jupyterhub-smoke  two users on a local JupyterHub, answers in PostgreSQL (deploy/jupyterhub)"
	@echo "make validate   check every case file in cases/ and that generated docs are current"
	@echo "make notebooks  build notebooks/*.ipynb from their jupytext sources (notebooks/*.py)"
	@echo "make catalogues extract the UI strings to npkit.pot, update each language's .po, compile"
	@echo "make docs       regenerate docs/case-format.md from the case format"
	@echo "make bench      measure the course in headless Chromium: build/bench.json (docs/performance.md)"
	@echo "make widget-weight  widget models and widget-state KB each page sends (limit: 100, 60 KB)"

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

# ruff, then the layer contracts in .importlinter (law and engine import no presentation code).
lint: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

validate: $(STAMP_TEST)
	$(BIN)/npkit validate cases
	$(BIN)/npkit docs case-format --check
	$(BIN)/npkit docs rulebook --check
	$(BIN)/npkit docs readme --check

notebooks: $(STAMP_TEST) $(MO_FILES)
	$(BIN)/python tools/build_notebooks.py

# The learner's language (npkit/i18n, issue 17). `make catalogues` after changing a UI string:
# pybabel extracts every string babel.cfg names into npkit.pot, merges it into each language's
# .po (new entries empty, changed ones fuzzy: tests/test_i18n_catalogue.py fails until a
# translator has checked them) and compiles the .mo files. The .mo are build products, never
# committed: any target that shows pages depends on them (and npkit.i18n compiles a missing one
# on load; the wheel's build hook, hatch_build.py, compiles them into the wheel).
# Locations by file only: line numbers would change the catalogues at every edit.
EXTRACT := extract -F babel.cfg --project=npkit --copyright-holder="npkit contributors" \
	--sort-output --add-location=file --no-wrap

catalogues: $(STAMP_TEST)
	$(BIN)/pybabel $(EXTRACT) -o $(POT) .
	$(foreach l,$(LANGS),$(BIN)/pybabel update -i $(POT) -d $(LOCALE) -D npkit -l $(l) \
		--no-wrap --init-missing --ignore-obsolete &&) true
	$(MAKE) $(MO_FILES)

$(LOCALE)/%/LC_MESSAGES/npkit.mo: $(LOCALE)/%/LC_MESSAGES/npkit.po | $(STAMP_TEST)
	$(BIN)/pybabel compile -D npkit -d $(LOCALE) -l $* --statistics

# One pytest run: unit, widget and golden tests, every notebook (English and Thai) under nbval,
# and the browser tests (tests/browser: one Voila server and headless Chromium). --dist
# loadscope keeps each notebook's cells on one worker and one kernel, and the browser tests
# (one file) on one worker.
# The order is random (pytest-randomly: "Using --randomly-seed=N" in the header; pass
# --randomly-seed=N to repeat it), except within a notebook (conftest.py).
unit: $(STAMP_TEST) $(STAMP_NPM) notebooks
	$(BIN)/python -m pytest -n 2 --dist loadscope --nbval-lax --nbval-current-env \
		tests notebooks/*.ipynb notebooks/th/*.ipynb

test: lint validate unit binder-check

# The tests once more, in ONE process and a random order: a test that leaves state behind (a
# running event loop, an environment variable) breaks a later one here, where two workers and
# --dist loadscope could keep them apart. Not the browser tests, the notebooks (make unit runs
# both) or the JupyterHub smoke test (make jupyterhub-smoke). .ci/run runs it after make test.
test-order: $(STAMP_TEST) notebooks
	$(BIN)/python -m pytest -p randomly -p no:cacheprovider tests --ignore=tests/browser \
		--ignore=tests/deploy/test_jupyterhub_smoke.py

# The browser tests once more with plain kernels (NPKIT_FORK_KERNELS=0: each kernel a fresh
# Python, as --no-fork-kernels; make test runs them the default way, every kernel forked from the
# fork server, npkit/course/fork_provisioner.py), so the way back, and the way kernels start off
# Linux, stays tested. .ci/run runs it after make test-order.
test-plain: $(STAMP_TEST) notebooks
	NPKIT_FORK_KERNELS=0 $(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadscope tests/browser

# Binder: a fresh environment (build/binder-venv, never .venv) made from binder/ alone, as
# mybinder makes it, runs every module and opens the README's Binder links
# (tools/binder_check.py). It is made again only when binder/ or pyproject.toml changes.
binder-check:
	$(PYTHON) tools/binder_check.py

docs: $(STAMP_TEST)
	$(BIN)/npkit docs case-format

# JupyterHub on this computer (deploy/jupyterhub/README.md): two users log in, each opens the
# scenario lab through the hub, and their answers land in one throwaway PostgreSQL. Everything
# goes in build/jupyterhub-smoke, never .venv: a virtual environment made by the image's own
# install script (deploy/jupyterhub/install.sh), and configurable-http-proxy from npm. Each is
# made again only when what it is made from changes; the proxy entry is rewritten every time.
HUB_SMOKE := build/jupyterhub-smoke
STAMP_HUB_PY  := $(HUB_SMOKE)/venv/.installed
STAMP_HUB_CHP := $(HUB_SMOKE)/node_modules/.installed
$(STAMP_HUB_PY): deploy/jupyterhub/requirements.txt deploy/jupyterhub/install.sh \
		binder/requirements.txt pyproject.toml
	rm -rf $(HUB_SMOKE)/venv
	$(PYTHON) -m venv $(HUB_SMOKE)/venv
	$(HUB_SMOKE)/venv/bin/python -m pip install --quiet --upgrade pip
	PATH="$(CURDIR)/$(HUB_SMOKE)/venv/bin:$$PATH" deploy/jupyterhub/install.sh
	touch $@

$(STAMP_HUB_CHP): tests/deploy/jupyterhub/package.json tests/deploy/jupyterhub/package-lock.json
	mkdir -p $(HUB_SMOKE)
	cp tests/deploy/jupyterhub/package.json tests/deploy/jupyterhub/package-lock.json $(HUB_SMOKE)/
	npm ci --prefix $(HUB_SMOKE) --no-audit --no-fund
	touch $@

jupyterhub-smoke: $(STAMP_TEST) notebooks $(STAMP_HUB_PY) $(STAMP_HUB_CHP)
	$(HUB_SMOKE)/venv/bin/python binder/configure.py
	rm -f $(HUB_SMOKE)/result.json
	NPKIT_JUPYTERHUB_SMOKE=required $(BIN)/python -m pytest -m jupyterhub -p no:cacheprovider \
		tests/deploy/test_jupyterhub_smoke.py
	@cat $(HUB_SMOKE)/result.json

# The course: standalone Voila with npkit's template, one preheated kernel per module, on this
# computer only (npkit/course/dashboard.py). Nothing is fetched from the internet.
# Kernels are forked from a process that has imported what the pages import (Linux; here and for
# workshop-server; npkit/course/fork_provisioner.py, docs/performance.md). FORK_KERNELS=0 starts
# each kernel as a fresh Python (--no-fork-kernels); FORK_KERNELS=1 forks even when
# NPKIT_FORK_KERNELS=0 is set; unset: as NPKIT_FORK_KERNELS says (unset too: forked).
FORK_KERNELS ?=
FORK_FLAG = $(if $(filter 0 no false off,$(FORK_KERNELS)),--no-fork-kernels,$(if $(FORK_KERNELS),--fork-kernels))
dashboard: notebooks
	$(BIN)/python -m npkit.course.dashboard --port 8866 $(FORK_FLAG)

serve-jupyterlab: notebooks
	$(BIN)/jupyter lab --notebook-dir=notebooks

# A room of trainees on this computer's network: the course behind nginx with one shared
# password, both in the foreground until Ctrl-C (deploy/workshop_server.py, docs/deploy.md).
# Options go in WORKSHOP_ARGS, e.g. make workshop-server WORKSHOP_ARGS="--tls --port 8443".
# ROOM=30 keeps 30 kernels ready at start for the module the trainer opens first (ROOM_PAGE,
# default the first module, e.g. ROOM_PAGE=05_scenario_lab); once the room has taken them the
# page keeps its usual one ready, so memory does not double (docs/performance.md).
# ROOM_LANGUAGE=th: a Thai room (its pages kept ready, ROOM alone is the Thai first module, the
# landing and join pages in Thai for a browser that chose no language); ROOM_PAGE=th/NN_name.
ROOM ?=
ROOM_PAGE ?=
ROOM_LANGUAGE ?=
workshop-server: notebooks
	$(BIN)/python deploy/workshop_server.py $(if $(ROOM),--room $(if $(ROOM_PAGE),$(ROOM_PAGE)=)$(ROOM)) \
		$(if $(ROOM_LANGUAGE),--language $(ROOM_LANGUAGE)) $(FORK_FLAG) \
		$(WORKSHOP_ARGS)

# How fast the course feels to a trainee, against Voila's own floor (benchmarks/run.py,
# docs/performance.md): build/bench.json and a table. Options go in BENCH_ARGS, e.g.
# make bench BENCH_ARGS="--quick" or BENCH_ARGS="--trainees 10 --update-docs".
bench: $(STAMP_TEST) notebooks
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# The widget models and widget-state bytes each page sends a trainee, without a kernel
# (tools/widget_weight.py; issue 16). WEIGHT_ARGS="05 07 --kinds" for two pages, by kind.
widget-weight: $(STAMP_TEST)
	$(BIN)/python tools/widget_weight.py $(WEIGHT_ARGS)

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis node_modules
