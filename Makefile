# The README's two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP  := $(VENV)/.installed
# One pytest worker per core (pytest-xdist); each gets its own test database.
PYTEST_WORKERS ?= auto
# The languages `make messages` extracts for (English is the source).
MESSAGE_LANGUAGES ?= es

.PHONY: run test install migrate catalogue demo bench lint lock clean messages

# Reinstall only when the declared or locked dependencies change, so re-runs are fast.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

catalogue: migrate
	$(PY) manage.py load_catalogue

# The catalogue plus a few dozen synthetic people, claims, writeups and proposals (seconds).
demo: catalogue
	$(PY) manage.py generate_demo --scale small $(if $(RESET),--reset)

# The benchmark (bench/README.md): PostgreSQL and Redis must be running; takes ~25 minutes
# the first time (it loads the large data set), then reuses it.
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

run: catalogue
	@echo "Gapmap is at http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	PYTHONPATH=. $(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

# Regenerate requirements.lock from pyproject.toml in a throwaway venv.
lock:
	rm -rf /tmp/gapmap-lock && $(PYTHON) -m venv /tmp/gapmap-lock
	/tmp/gapmap-lock/bin/pip install --quiet --disable-pip-version-check ".[dev]"
	/tmp/gapmap-lock/bin/pip freeze --exclude gapmap > requirements.lock

clean:
	rm -rf $(VENV) staticfiles

# Translators: extract new strings into each language's catalogue (needs GNU gettext's
# xgettext: `apt install gettext`), then compile them in pure Python. README "Adding a language".
messages: install
	$(PY) manage.py compile_translations --extract $(MESSAGE_LANGUAGES)
