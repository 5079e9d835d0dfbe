# Two commands matter: `make demo` (set up and run the main job) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The console's design system comes from the npm registry at set-up (assets/), never committed.
CSS := src/openlfr/web/static/build/openlfr.css
# The shared data sits beside the project in a developer checkout and in CI.
export OPENLFR_DATA ?= $(abspath ../shared/data)

.PHONY: venv demo test lint clean

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

test: $(STAMP) $(CSS)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) var test-artifacts assets/node_modules src/openlfr/web/static/build
