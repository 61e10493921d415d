# The single entry point. `make run` serves the hub on the embedded SQLite default with the
# demo data and prints the demo credentials; `make test` runs the whole suite (SQLite always,
# PostgreSQL when one answers).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format typecheck openapi migrate check bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The demo data is loaded once (a few seconds), then found in place on every later run.
run: install
	$(BIN)/lienthong demo --serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install
	$(BIN)/mypy

openapi: install
	$(BIN)/python scripts/export_openapi.py --out openapi

migrate: install
	$(BIN)/lienthong migrate

# `alembic check` on a scratch SQLite file: the migrations produce exactly the models.
check: lint typecheck
	rm -f var/alembic-check.db
	HUB_DATABASE_URL=sqlite+aiosqlite:///var/alembic-check.db $(BIN)/alembic upgrade head
	HUB_DATABASE_URL=sqlite+aiosqlite:///var/alembic-check.db $(BIN)/alembic check
	rm -f var/alembic-check.db

# The benchmarks of QUALITY.md, written to docs/performance.md (about 15 minutes; PostgreSQL
# at 127.0.0.1:5432). `make bench ARGS="--quick --only p2,p4"` is a short run that only prints.
bench: install
	$(BIN)/python -m bench $(ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
