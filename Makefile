# Two commands: `make run` and `make test`. Everything else is a step they call.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
PYTEST := $(VENV)/bin/pytest
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export S26_ENV ?= development

.PHONY: run test install assets chromium graphviz workflow-svg html-check wrk lint security attack test-sqlite test-postgres soak soak-short bench bench-workflow bench-large serve-mail clean translations translations-update translations-check

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# GOV.UK Frontend and its accessible-autocomplete from npm, copied into static/ (never fetched from a CDN at run time).
static/govuk/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/govuk && mkdir -p static/govuk
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/govuk/
	cp -r node_modules/govuk-frontend/dist/govuk/assets static/govuk/assets
	rm -rf static/autocomplete && mkdir -p static/autocomplete
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.css static/autocomplete/
	touch $@

# Swagger UI for the API's documentation page (/api/v1/docs), served from static/ too. Its own stamp, so a
# machine whose GOV.UK assets were built before it still copies it; after the GOV.UK step, which runs npm ci.
static/swagger-ui/.built: package.json package-lock.json static/govuk/.built
	rm -rf static/swagger-ui && mkdir -p static/swagger-ui
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/LICENSE static/swagger-ui/
	touch $@

assets: static/govuk/.built static/swagger-ui/.built

# Welsh and English (issue 25): the compiled catalogues (.mo) are built from the .po files, which are the source
# (the .mo are committed too, so a plain pytest run has them; this rebuilds them when a .po changed).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | install
	$(PY) scripts/translations.py compile

translations: $(MO_FILES)

# After changing user-facing text: extract it, merge it into every catalogue (Welsh from translations/cy.py), compile.
translations-update: install
	$(PY) scripts/translations.py update
	$(PY) scripts/translations.py compile

# Every catalogue complete: no missing or fuzzy translation (tests/unit/test_translations.py checks it too).
translations-check: install
	$(PY) scripts/translations.py check

# Serves the demo on http://$(HOST):$(PORT) with a local debugging SMTP server on 127.0.0.1:8025 that
# prints every email to this terminal, and the outbox sender delivering to it in the background. The emails'
# links use the same address (S26_BASE_URL), so what `make run` prints and what the emails link to agree.
HOST ?= 127.0.0.1
PORT ?= 5000
run: export S26_BASE_URL = http://$(HOST):$(PORT)
run: install assets translations
	$(FLASK) db upgrade
	$(FLASK) seed --demo
	@echo "Serving at $(S26_BASE_URL) (emails link there too)"
	trap 'kill 0' EXIT; \
	$(PY) -m aiosmtpd -n -l 127.0.0.1:8025 -c aiosmtpd.handlers.Debugging stdout & \
	MAIL_SERVER=127.0.0.1 MAIL_PORT=8025 $(FLASK) outbox send --loop --interval 3 & \
	$(FLASK) run --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests (tests/e2e); Playwright never downloads a browser here.
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get install -y chromium || { $$SUDO apt-get update && $$SUDO apt-get install -y chromium; }; }

# Graphviz, from Debian, only to redraw static/workflow.svg when the machine changes (servers need none).
graphviz:
	@command -v dot >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get install -y graphviz || { $$SUDO apt-get update && $$SUDO apt-get install -y graphviz; }; }

workflow-svg: install graphviz
	$(FLASK) workflow-diagram --svg static/workflow.svg

lint: install
	$(VENV)/bin/ruff check .

# bandit: no medium or high finding in our code; pip-audit: no known vulnerability in what is installed.
security: install
	$(VENV)/bin/bandit -q -r approvals models config app.py extensions.py --severity-level medium
	$(PY) scripts/audit_dependencies.py

test-sqlite: install assets chromium translations translations-check
	S26_TEST_DB=sqlite $(PYTEST) -q

# Under CI=true a missing PostgreSQL fails the run (tests/conftest.py), it is never skipped.
test-postgres: install assets chromium translations
	S26_TEST_DB=postgresql TEST_DATABASE_URL=$(PG_URL) $(PYTEST) -q

# sqlmap against the running app (sign-in, request list filters, API list): bounded, about 30 s.
attack: install
	$(PY) scripts/attack.py

# Scale-out soak (issue 19, bench/soak.py): two gunicorn servers (two workers each), two outbox workers, a
# PostgreSQL database of its own, Redis and a real SMTP server, under load and faults, then checked. `make soak`
# adds a PostgreSQL restart, which interrupts anything else using that server, and writes bench/SOAK.md;
# `make test` runs a shorter one (about a minute) without the restart.
soak: install
	PG_URL=$(PG_URL) $(PY) bench/soak.py --seconds 150 --restart-postgres --drain 120 --report bench/SOAK.md

soak-short: install
	PG_URL=$(PG_URL) $(PY) bench/soak.py --seconds 45

# The Nu HTML Checker (npm vnu-jar, on the machine's Java 17) over every page the browser suite checked, as the
# server sent it (tests/e2e/conftest.py keeps them in test-artifacts/html): any error fails.
html-check: assets
	@ls test-artifacts/html/*.html >/dev/null 2>&1 || { echo "html-check: no pages kept; run the browser suite first"; exit 1; }
	java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only test-artifacts/html
	@echo "html-check: $$(ls test-artifacts/html/*.html | wc -l) pages, no errors"

test: lint security test-sqlite html-check test-postgres soak-short attack

# Benchmarks (issue 11): about 10 minutes; writes bench/RESULTS.md. wrk comes from Debian.
wrk:
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get install -y wrk || { $$SUDO apt-get update && $$SUDO apt-get install -y wrk; }; }

bench: install wrk
	$(PY) bench/run.py

# A workflow step beside SpiffWorkflow only (issue 28): a few minutes, both databases; prints the section (with
# --trace, each side's statements) and writes bench/RESULTS-workflow.json, leaving bench/RESULTS.md alone.
bench-workflow: install
	$(PY) bench/run.py --only workflow --workflow 200

# Ten years of national data (issue 20): 1,000,000 requests and 10,000,000 audit events; query counts compared
# with 10,000. Takes about an hour; writes bench/RESULTS-large.md.
bench-large: install wrk
	$(PY) bench/run.py --requests 1000000 --audit-events 10000000 --out bench/RESULTS-large.md

clean:
	rm -rf $(VENV) node_modules static/govuk instance
