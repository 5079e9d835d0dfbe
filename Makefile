# Two commands matter: `make demo` (set up and run the main job) and `make test`.
# PY picks the interpreter the venv is made from (Python 3.11 or newer): `make PY=python3.12 test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The console's design system comes from the npm registry at set-up (assets/), never committed.
CSS := src/openlfr/web/static/build/openlfr.css
# The shared data sits beside the project in a developer checkout and in CI.
export OPENLFR_DATA ?= $(abspath ../shared/data)

.PHONY: venv demo test test-all lint clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(CSS): assets/package.json assets/package-lock.json assets/*.scss
	cd assets && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && npm run --silent build

venv: $(STAMP) $(CSS)

demo: $(STAMP) $(CSS)
	$(BIN)/openlfr demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

# One worker per core; a module's tests stay together (they share its fixtures).
PARALLEL := -n auto --dist loadscope

# Skips a test whose server, browser or data is missing, and ends with a banner naming them.
test: $(STAMP) $(CSS)
	$(BIN)/pytest $(PARALLEL)

# The whole suite or a failure: a missing server, browser or data fails instead of skipping.
test-all: $(STAMP) $(CSS)
	OPENLFR_TEST_ALL=1 $(BIN)/pytest $(PARALLEL)

clean:
	rm -rf $(VENV) var test-artifacts assets/node_modules src/openlfr/web/static/build
