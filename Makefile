# smartacct: `make` lists the targets. Every target sets up .venv first when needed.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PARAMS ?= data/sample/params.yaml
OUT ?= reports

.PHONY: help venv report test validate lab sample clean

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

test: $(STAMP) ## run the whole test suite
	$(BIN)/python -m pytest

validate: $(STAMP) ## read and check the data of PARAMS, change nothing
	$(BIN)/smartacct validate --params $(PARAMS)

lab: $(STAMP) ## JupyterLab on notebooks/ with the sample loaded
	$(BIN)/jupyter lab --notebook-dir=notebooks --ip=127.0.0.1

sample: $(STAMP) ## regenerate the synthetic sample in data/sample/
	$(BIN)/smartacct sample --out data/sample

clean: ## remove .venv, reports/ and exports/
	rm -rf $(VENV) reports exports
