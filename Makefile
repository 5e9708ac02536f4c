# Atelier CM — the two commands a newcomer needs:
#   make run    install (virtual environment from pinned requirements) and start the app
#   make test   install the test dependencies, lint, and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
REPLICAS ?= 2
PROXY_PORT ?= 8080

.PHONY: run test lint install install-dev digest refresh replicas

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python -m workbench migrate
	$(BIN)/streamlit run serve.py --server.port $(PORT)

# The scheduled jobs (cron or deploy/systemd timers call the same commands).
refresh: install
	$(BIN)/python -m curation refresh

digest: install
	$(BIN)/python -m curation digest --send

# The production set-up on this machine: REPLICAS app processes behind nginx on PROXY_PORT
# (needs Debian's nginx and ATELIER_DATABASE_URL=postgresql://…; README « Production »).
replicas: install
	$(BIN)/python -m deploy run --replicas $(REPLICAS) --port $(PROXY_PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest
