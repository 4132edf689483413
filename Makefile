# Two commands for a fresh machine:
#   make run   - set up .venv, build data/triples.ttl, validate it, write the view, serve the explorer
#   make test  - set up .venv and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test build validate stats clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kg build
	$(BIN)/kg validate
	$(BIN)/kg stats

test: $(STAMP)
	$(BIN)/python -m pytest -q

build: $(STAMP)
	$(BIN)/kg build

validate: $(STAMP)
	$(BIN)/kg validate

stats: $(STAMP)
	$(BIN)/kg stats

clean:
	rm -rf $(VENV) build .pytest_cache
