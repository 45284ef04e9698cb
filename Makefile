# Every target sets up .venv on a fresh machine first; CPU PyTorch goes in before
# sentence-transformers so pip never pulls the multi-GB CUDA build.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run test bench eval build browser postgres clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install torch==2.13.0
	$(PY) -m pip install -e '.[test,bench]'
	touch $(STAMP)

setup: $(STAMP)

browser:
	@bash scripts/ensure-chromium.sh

postgres:
	@bash scripts/ensure-postgresql.sh

build: setup
	$(VENV)/bin/qa-service build

run: setup
	$(VENV)/bin/qa-service serve --host 127.0.0.1 --port 8000

test: setup browser postgres
	$(PY) -m pytest

eval: setup
	$(VENV)/bin/qa-service eval ../shared/eval/dev_questions.jsonl
	$(VENV)/bin/qa-service eval eval/questions.jsonl

bench: setup
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) index
