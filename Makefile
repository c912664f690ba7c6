# webcert-fleet: the two commands a newcomer needs.
#   make demo   set up, audit the example region, print the report paths
#   make test   set up and run every test (lint, ansible-test sanity, unit, integration, molecule)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Keep Ansible's state inside the checkout and use the virtualenv's Python for local tasks.
export ANSIBLE_HOME := $(CURDIR)/.ansible
export ANSIBLE_LOCAL_TEMP := $(CURDIR)/.ansible/tmp
export ANSIBLE_PYTHON_INTERPRETER := $(CURDIR)/$(BIN)/python
export PATH := $(CURDIR)/$(BIN):$(PATH)
# The collection webcert.fleet under its one import name, for the scripts and benchmarks run from here.
export PYTHONPATH := $(CURDIR)/.collections

.PHONY: demo test venv system-deps js-deps lint sanity unit molecule bench clean

$(BIN)/.installed: requirements.txt requirements-dev.txt constraints.txt
	scripts/install-system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

venv: $(BIN)/.installed

system-deps:
	scripts/install-system-deps

# inspecjs and playwright-core for the report tests, at the versions package-lock.json pins; the
# browser is Debian's Chromium, never a downloaded one.
JS := tests/js
$(JS)/node_modules/.installed: $(JS)/package.json $(JS)/package-lock.json
	cd $(JS) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts
	touch $@

js-deps: system-deps $(JS)/node_modules/.installed

demo: venv system-deps
	scripts/demo

lint: venv
	$(BIN)/yamllint -s .
	$(BIN)/ansible-lint --profile production
	$(BIN)/ansible-playbook --syntax-check playbooks/*.yml
	$(BIN)/lint-imports --no-cache --no-logo .importlinter   # the one-way flow of plugin_utils/ (docs/architecture.md)

# ansible-core's own sanity tests on the collection (scripts/ansible-test-sanity says how it runs here).
sanity: venv
	scripts/ansible-test-sanity

unit: venv system-deps js-deps
	$(BIN)/pytest

molecule: venv
	$(BIN)/molecule test -s default

test: lint sanity unit molecule

# Measurements, not tests: each compares with the naive way and prints ratios.
bench: venv system-deps
	$(BIN)/python bench/round_trips.py
	$(BIN)/python bench/hsa_scale.py
	$(BIN)/python bench/audit_scale.py
	$(BIN)/python bench/report_scale.py
	$(BIN)/python bench/readiness_scale.py

clean:
	rm -rf $(VENV) .ansible reports .cache $(JS)/node_modules
