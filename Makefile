# Alur: make setup | test | run | bench | lint | format | clean
PYTHON ?= python3.11
VENV := .venv

# Debian packages, listed only when what they provide is missing (setup runs as root).
SYSTEM_PACKAGES := $(strip \
	$(if $(wildcard /usr/bin/dot),,graphviz) \
	$(if $(wildcard /usr/bin/chromium),,chromium) \
	$(if $(wildcard /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf),,fonts-dejavu-core) \
	$(if $(wildcard /usr/bin/node),,nodejs npm))

.PHONY: setup system-packages test run bench load faults lint format clean

# The analyst studio's bundle (webui/frontend -> webui/static/build, never committed).
STUDIO_SOURCES := $(shell find webui/frontend -type f)
STUDIO_BUNDLE := webui/static/build/studio.js

setup: system-packages $(VENV)/.installed node_modules/.installed $(STUDIO_BUNDLE)

system-packages:
ifneq ($(SYSTEM_PACKAGES),)
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES)
endif

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(STUDIO_BUNDLE): node_modules/.installed $(STUDIO_SOURCES)
	npm run build

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest

# Demo mode: SQLite under instance/, the six SOPs deployed, one demo user per role (printed).
run: setup
	$(VENV)/bin/alur serve --demo --host 127.0.0.1 --port 5000

bench: setup
	$(VENV)/bin/python -m benchmarks

# 50 simulated staff against two app servers on one PostgreSQL (docs/performance.md): the closed
# loop, then the open model (a fixed arrival rate stepped up to saturation, then 50 % and 80 %).
# LOAD_ARGS passes options on: `make load LOAD_ARGS=--profile` profiles the servers' requests.
load: setup
	$(VENV)/bin/python -m ops.load.run $(LOAD_ARGS)

# Kill -9 a worker, fill the upload disk, restart PostgreSQL, each under load (docs/production.md).
faults: setup
	$(VENV)/bin/python -m ops.faults kill disk postgres

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Caches and build output; .venv, node_modules and instance/ (the local database) stay.
clean:
	rm -rf .pytest_cache .ruff_cache build dist *.egg-info test-artifacts webui/static/build
	find . -path ./.venv -prune -o -path ./node_modules -prune -o \
		-name __pycache__ -type d -exec rm -rf {} +
