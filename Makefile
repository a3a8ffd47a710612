# ecokg: `make run` sets everything up and starts the app; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
ECOKG  := $(VENV)/bin/ecokg
STAMP  := $(VENV)/.installed
STORE  ?= $(or $(ECOKG_STORE),data/store)
HOST   ?= 127.0.0.1
PORT   ?= 8501

.PHONY: setup run ingest app test lint bench clean train cv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

ingest: setup
	$(ECOKG) ingest corpus/ --store $(STORE)

run: ingest app

app: setup
	ECOKG_STORE=$(STORE) $(VENV)/bin/streamlit run app.py \
		--server.address $(HOST) --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

test: setup
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check kg ingest ecokg tests bench app.py

# Rebuild the shipped extraction models (ingest/nlp/models) from the annotated articles, recording
# 5-fold cross-validated figures on ../shared/train with them (about 15 minutes on 2 cores).
SHARED ?= ../shared
train: setup
	$(ECOKG) train --gold $(SHARED)/train $(SHARED)/dev $(SHARED)/seed corpus/gold \
		--cv 5 --cv-gold $(SHARED)/train --workers 2

# Cross-validated extraction figures only (no model written).
cv: setup
	$(ECOKG) eval --cv 5 --gold $(SHARED)/train --workers 2

bench: setup
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) data/store .pytest_cache
