# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
SETUP  := $(VENV)/.setup-done
# npm writes this on `npm ci`; without npm the TypeScript tests skip (in CI they fail).
NPM_SETUP := clients/typescript/node_modules/.package-lock.json

.PHONY: setup run test lint typecheck check-generated spec-check generate release pytest clean

$(SETUP): pyproject.toml clients/python/pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "roomchat needs Python >= 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip install --quiet -e ./clients/python
	touch $(SETUP)

$(NPM_SETUP): clients/typescript/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "setup: no npm, so clients/typescript is not set up (its checks are skipped)"; fi

setup: $(SETUP) $(NPM_SETUP)

## Serve on http://$(HOST):$(PORT) with the in-memory layer (REDIS_URL switches to Redis).
run: $(SETUP)
	$(BIN)/roomchat serve --host $(HOST) --port $(PORT)

## Everything CI runs: lint (import rules included), types, generated files fresh, the spec's
## version against the latest release, the whole test suite.
test: $(SETUP) $(NPM_SETUP) lint typecheck check-generated spec-check pytest

lint: $(SETUP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

typecheck: $(SETUP)
	$(BIN)/mypy

check-generated: $(SETUP) $(NPM_SETUP)
	$(BIN)/roomchat generate --check

## The working spec against the latest release: does info.version cover what changed?
spec-check: $(SETUP)
	$(BIN)/roomchat spec check

## Two workers (pytest-xdist; the suite waits on servers more than it computes); PYTEST_WORKERS=0
## runs it in one process. How the suite is shared out: tests/support/scheduling.py.
PYTEST_WORKERS ?= 2
pytest: $(SETUP)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup --no-loadscope-reorder

## Regenerate everything derived from asyncapi/room_chat.yaml, and README's coverage table
## (which test proves which spec item; read from the tests' `covers` marks).
generate: $(SETUP) $(NPM_SETUP)
	$(BIN)/roomchat generate
	$(BIN)/python -m tests.support.coverage_table --write

## Record the working spec's version as released (see CHANGELOG.md); commit what it writes.
release: $(SETUP) $(NPM_SETUP)
	$(BIN)/roomchat spec release

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .import_linter_cache clients/typescript/node_modules

## The full benchmark (minutes, loads both cores): roomchat vs a raw websockets reference.
## Writes bench-results.json, .png and .md into tests/bench/results/ and the table into
## docs/benchmarks.md.
.PHONY: bench
bench: $(SETUP)
	$(BIN)/roomchat bench --rounds 3 --out tests/bench/results --docs docs/benchmarks.md
