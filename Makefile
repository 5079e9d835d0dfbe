# Two commands matter: `make demo` (set up and run the main job) and `make test`.
# PY picks the interpreter the venv is made from (Python 3.11 or newer): `make PY=python3.12 test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The shared data sits beside the project in a developer checkout and in CI.
export OPENLFR_DATA ?= $(abspath ../shared/data)

.PHONY: venv demo test test-all lint clean

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

# One worker per core; a module's tests stay together (they share its fixtures).
PARALLEL := -n auto --dist loadscope

# Skips a test whose server, browser or data is missing, and ends with a banner naming them.
test: $(STAMP)
	$(BIN)/pytest $(PARALLEL)

# The whole suite or a failure: a missing server, browser or data fails instead of skipping.
test-all: $(STAMP)
	OPENLFR_TEST_ALL=1 $(BIN)/pytest $(PARALLEL)

clean:
	rm -rf $(VENV) var test-artifacts
