# Every target sets up .venv on a fresh machine first; CPU PyTorch goes in before
# sentence-transformers so pip never pulls the multi-GB CUDA build.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run test test-fast bench eval train build browser postgres deploy-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install torch==2.13.0
	$(PY) -m pip install -e '.[test,bench]'
	touch $(STAMP)

setup: $(STAMP)
	@bash scripts/ensure-apertium.sh

browser:
	@bash scripts/ensure-chromium.sh
	@bash scripts/ensure-axe.sh

postgres:
	@bash scripts/ensure-postgresql.sh

deploy-deps:
	@bash scripts/ensure-nginx-redis.sh

build: setup
	$(VENV)/bin/qa-service build

HOST ?= 127.0.0.1
PORT ?= 8000

run: setup
	$(VENV)/bin/qa-service serve --host $(HOST) --port $(PORT)

test: setup browser postgres deploy-deps
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m fast -q

eval: build
	$(VENV)/bin/qa-service eval

train: build
	$(VENV)/bin/qa-service train

bench: setup
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) index
