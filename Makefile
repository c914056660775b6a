# นิเทศ Online — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HOST ?= 127.0.0.1
export PORT ?= 5000

.PHONY: run test test-fast test-postgres lint format bench vendor clean scale-out scale-out-stop

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## run: install, migrate, load the demo data into an empty database, serve on HOST:PORT.
run: $(VENV)/.installed
	$(BIN)/flask --app wsgi db upgrade
	@if [ "$${NITET_DEMO:-1}" != "0" ]; then $(BIN)/flask --app wsgi seed-demo --if-empty; fi
	exec $(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

# Test processes (pytest-xdist): one per core by default. A module's tests stay on one worker,
# so a module's live server is started once.
TEST_WORKERS ?= 2
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadscope

## test: install what the tests need (Python packages, Chromium and services from Debian) and run
## the linters and the suite twice: on SQLite (with the real-browser tests), then on a throwaway
## PostgreSQL server, without the browser tests and the modules that cannot differ by database
## (tests/conftest.py: DATABASE_AGNOSTIC_MODULES).
test: $(VENV)/.installed-dev
	scripts/ensure-system-packages.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)
	scripts/test-postgres.sh $(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not browser" -q

## test-postgres: only the PostgreSQL pass of `make test`.
test-postgres: $(VENV)/.installed-dev
	scripts/test-postgres.sh $(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not browser" -q

## test-fast: the suite without the real-browser tests, for quick checks while coding.
test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not browser" -x -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## scale-out: PostgreSQL + Redis + 2 web processes + nginx on 127.0.0.1 (Debian packages), demo data.
scale-out: $(VENV)/.installed
	scripts/scale-out.sh start

## scale-out-stop: stop what `make scale-out` started (data stays in .scale-out/).
scale-out-stop:
	scripts/scale-out.sh stop

## bench: every benchmark in bench/ (not part of `make test`).
bench: $(VENV)/.installed-dev
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

## vendor: refresh static/vendor/ from the npm registry (needs npm; the result is committed).
vendor:
	scripts/refresh-vendor.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
