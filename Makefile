# Everyday commands. `make run` and `make test` do all set-up on a fresh machine.
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint fix messages migrations-check install clean bench bench-postgres loadtest screenshots

$(VENV)/.installed: pyproject.toml scripts/bootstrap
	scripts/bootstrap

install: $(VENV)/.installed

# axe-core for the accessibility browser tests (a pinned dev dependency; nothing is served).
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 18+ (e.g. apt-get install nodejs npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

## run: the app with demo data on SQLite at http://127.0.0.1:8000
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: lint, migration check and the whole test suite (browser tests included)
test: $(VENV)/.installed node_modules/.installed lint migrations-check
	scripts/ensure-chromium
	$(VENV)/bin/pytest

## screenshots: the README's screenshots of the main pages (demo data, throwaway database)
screenshots: $(VENV)/.installed
	scripts/ensure-chromium
	$(PY) scripts/screenshots.py $(SCREENSHOTS_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fix: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run

## messages: update the fi and sv catalogs from the code, then compile them (needs gettext)
messages: $(VENV)/.installed
	$(PY) manage.py makemessages --locale fi --locale sv --ignore '.venv/*' --ignore 'node_modules/*' --no-obsolete
	$(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'node_modules/*'

clean:
	rm -rf $(VENV) node_modules db.sqlite3 db.sqlite3-* .pytest_cache .ruff_cache staticfiles

## bench: seed a large dataset into bench/bench.sqlite3 and print timings (SCALE=1 for full size)
SCALE ?= 0.1
bench: $(VENV)/.installed
	DATABASE_URL=sqlite:///$(CURDIR)/bench/bench.sqlite3 $(PY) manage.py bench --scale $(SCALE) $(BENCH_ARGS)

## bench-postgres: the same on PostgreSQL (database ips_bench)
bench-postgres: $(VENV)/.installed
	-createdb -h 127.0.0.1 -U postgres ips_bench 2>/dev/null
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/ips_bench $(PY) manage.py bench --scale $(SCALE) $(BENCH_ARGS)

## loadtest: gunicorn on the PostgreSQL bench database, 50 coaches for 60 s (run bench-postgres first)
loadtest: $(VENV)/.installed
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/ips_bench $(PY) scripts/loadtest.py $(LOADTEST_ARGS)
