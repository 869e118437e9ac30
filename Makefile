# Two commands from a fresh clone: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_SETTINGS := DJANGO_SETTINGS_MODULE=lms.settings.test

.PHONY: install run serve test lint messages bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .

test: install lint
	$(TEST_SETTINGS) $(BIN)/python manage.py check
	$(TEST_SETTINGS) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@# In CI the suite above runs on PostgreSQL; tests marked dual_db run once more on SQLite.
	@if echo "$$DATABASE_URL" | grep -q '^postgres'; then \
		DATABASE_URL= $(BIN)/python -m pytest -m dual_db -q || [ $$? -eq 5 ]; \
	fi

# Regenerate the translation catalogues (needs GNU gettext) and compile them; both are committed.
# Each app keeps its own catalogue in <app>/locale; the project's (templates/, lms/core) is in locale/.
APPS_WITH_LOCALE := lms/roster lms/exams question_bank courses
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore='.venv/*' --ignore='bench/*' \
		--ignore='tests/*' --ignore='tools/*' $(foreach app,$(APPS_WITH_LOCALE),--ignore='$(app)/*')
	for app in $(APPS_WITH_LOCALE); do \
		mkdir -p $$app/locale && (cd $$app && $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py makemessages -l zh_Hans -l en) || exit 1; \
	done
	@# New strings' Chinese comes from tools/translations/*.py (see its README); then every catalogue is compiled.
	for po in $$(find locale $(APPS_WITH_LOCALE) -path '*zh_Hans/LC_MESSAGES/django.po'); do \
		$(BIN)/python tools/fill_translations.py $$po tools/translations/*.py > /dev/null || true; \
	done
	$(BIN)/python manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf $(VENV) staticfiles test-output
