# Two commands matter: `make demo` (set up and run the main job) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The shared data sits beside the project in a developer checkout and in CI.
export OPENLFR_DATA ?= $(abspath ../shared/data)

.PHONY: venv demo test lint clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/openlfr demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

test: $(STAMP)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) var test-artifacts
