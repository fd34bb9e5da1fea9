# smartacct: `make` lists the targets. Every target sets up .venv first when needed.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PARAMS ?= data/sample/params.yaml
OUT ?= reports

# what ruff lints and formats (the notebooks are left out in pyproject.toml)
LINTED := smartacct_helpers tests benchmarks
# the tests run on every core; the tests of a costly fixture stay on one worker (tests/conftest.py WORKER_GROUPS)
PARALLEL := -n auto --dist loadgroup

.PHONY: help venv system report test test-fast lint validate lab workshop dashboard sample clean bench

help: ## list the targets (the default)
	@echo "smartacct: make TARGET"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install smartacct with its test tools

report: $(STAMP) ## write the sample report to reports/ (PARAMS=..., OUT=... to change)
	$(BIN)/smartacct report --params $(PARAMS) --out $(OUT)

system: ## install the real components the tests drive (chromium, postgresql, Java) with apt; needs root or sudo
	@bash .ci/system-packages

lint: $(STAMP) ## ruff: the lint rules of pyproject.toml and the format (changes nothing)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

test: $(STAMP) system lint ## lint, then the whole test suite on every core (notebooks, browser, databases, the matrix)
	$(BIN)/python -m pytest $(PARALLEL)

test-fast: $(STAMP) ## the fast tier only, on every core: no notebook, browser or database server
	$(BIN)/python -m pytest $(PARALLEL) -m fast

validate: $(STAMP) ## read and check the data of PARAMS, change nothing
	$(BIN)/smartacct validate --params $(PARAMS)

lab: $(STAMP) ## JupyterLab on notebooks/ with the sample loaded
	$(BIN)/jupyter lab --notebook-dir=notebooks --ip=127.0.0.1

workshop: $(STAMP) ## the notebooks run for a client, code collapsed, opened in JupyterLab on 127.0.0.1:8888 (PARAMS=...)
	$(BIN)/smartacct workshop --params $(PARAMS)

dashboard: $(STAMP) ## the manager dashboard (Voila) on http://127.0.0.1:8866 (PARAMS=... to change)
	$(BIN)/smartacct dashboard --params $(PARAMS)

sample: $(STAMP) ## regenerate the synthetic sample in data/sample/
	$(BIN)/smartacct sample --out data/sample

bench: $(STAMP) ## scale benchmarks: facts vs a DuckDB floor, analysis, sliders, report (generates 10M lines in /tmp)
	$(BIN)/python benchmarks/bench_scale.py --data /tmp/smartacct-large

clean: ## remove .venv, reports/, exports/ and workshop/
	rm -rf $(VENV) reports exports workshop
