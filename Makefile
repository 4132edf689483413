# The two commands a fresh machine needs (both set everything up first):
#   make run   - build data/triples.ttl, validate it, write build/graph.html, serve the explorer
#   make test  - run the whole test suite (unit, golden, notebooks, real servers, real browser)
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 8000
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc

.PHONY: run test build corpus validate view serve stats bench bench-quick clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# Browser tests drive Debian's Chromium (no browser download works offline); the CJK font
# makes Chinese readable in the browser screenshots and in the notebooks' matplotlib charts.
$(CHROMIUM) $(CJK_FONT):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null

run: $(STAMP)
	$(BIN)/kg build
	$(BIN)/kg validate
	$(BIN)/kg view -o build/graph.html
	$(BIN)/kg serve --host $(HOST) --port $(PORT)

test: $(STAMP) $(CHROMIUM) $(CJK_FONT)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

build: $(STAMP)
	$(BIN)/kg build

# The shipped real corpus (data/corpora: State Council 1954-2025, 25 provinces 2026, Hebei and
# Gaoyang), one named graph per report. kg build exits 3 when it skipped inputs that are not
# reports (the NPC resolutions, the collector's manifest): expected here, each is listed.
corpus: $(STAMP)
	$(BIN)/kg build data/corpora -o build/corpus.trig --jobs 2 || [ $$? -eq 3 ]
	$(BIN)/kg table reports --graph build/corpus.trig --format csv > build/corpus-reports.csv

validate: $(STAMP)
	$(BIN)/kg validate

view: $(STAMP)
	$(BIN)/kg view -o build/graph.html

serve: $(STAMP)
	$(BIN)/kg serve --host $(HOST) --port $(PORT)

stats: $(STAMP)
	$(BIN)/kg stats

# Benchmarks are run on demand, never by the tests: one table, baselines measured in the same
# run (the build's: a git worktree of 264351b under build/bench/baseline), written to
# bench/results.json. bench-quick stops at 100 reports (40 minutes on 2 busy cores).
bench: $(STAMP) $(CHROMIUM)
	$(BIN)/python bench/run.py

bench-quick: $(STAMP) $(CHROMIUM)
	$(BIN)/python bench/run.py --quick

clean:
	rm -rf $(VENV) build .pytest_cache
