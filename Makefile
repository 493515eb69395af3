# Prongsai — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test test-unit test-integration test-e2e bench load national red-flags parse-report lint lock clean i18n screenshots

# Installs are pinned: constraints.txt holds the exact versions a fresh machine installs (`make lock` refreshes it).
$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]"
	touch $@

$(BIN)/.installed-load: $(BIN)/.installed
	$(BIN)/pip install -q -c constraints.txt -e ".[load]"
	touch $@

run: $(BIN)/.installed  ## import the bundled plan into ./var/ (once) and serve on 127.0.0.1:8000
	$(BIN)/prongsai serve --seed

test: $(BIN)/.installed  ## the whole suite: unit, integration and e2e, each store test on SQLite and PostgreSQL
	$(BIN)/pytest

test-unit: $(BIN)/.installed
	$(BIN)/pytest tests/unit

test-integration: $(BIN)/.installed
	$(BIN)/pytest tests/integration

test-e2e: $(BIN)/.installed
	$(BIN)/pytest tests/e2e

bench: $(BIN)/.installed  ## speed and memory figures, printed as ratios measured in one run
	$(BIN)/python -m bench.run

screenshots: $(BIN)/.installed  ## refresh docs/screenshots/ from the browser journeys (a test run never writes there)
	PRONGSAI_SCREENSHOTS=docs $(BIN)/pytest -q tests/e2e/test_browser.py tests/e2e/test_journeys.py -k "sqlite"

i18n: $(BIN)/.installed  ## extract the interface's words and merge them into the English catalog (then fill in msgstr)
	$(BIN)/pybabel --quiet extract -F babel.cfg -k translate:2 --no-location --sort-output -o interface/web/locale/messages.pot interface/web
	$(BIN)/pybabel --quiet update -i interface/web/locale/messages.pot -d interface/web/locale -l en --no-fuzzy-matching --ignore-obsolete

load: $(BIN)/.installed-load  ## the load harness: a mixed workload on loopback, throughput and p50/p95/p99 per class
	$(BIN)/python -m bench.load

national: $(BIN)/.installed-load  ## a national-scale store on a throwaway PostgreSQL (≥ 2 million events), measured
	$(BIN)/python -m bench.national

red-flags: $(BIN)/.installed  ## a year of procurement with one planted pattern per red-flag rule: rule → planted → raised
	$(BIN)/python -m bench.red_flag_year

parse-report: $(BIN)/.installed  ## the plan parser over every test layout as txt, docx and pdf: items, fields, corrections
	$(BIN)/python -m tests.plan_corpus

lock:  ## refresh constraints.txt: the newest releases pyproject.toml allows, resolved in a scratch venv
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install -q --upgrade pip
	.lock-venv/bin/pip install -q -e ".[dev,load]"
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^prongsai' > constraints.txt
	rm -rf .lock-venv

lint: $(BIN)/.installed
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var *.egg-info
