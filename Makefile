# The one way to do each task. `make run` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HEALTHPM_HOST ?= 127.0.0.1
export HEALTHPM_PORT ?= 8000

.PHONY: install run demo test lint typecheck unit postgres browser bench clean deploy-check

install: $(STAMP)

# Re-installs only when the pins change. torch comes first, pinned to the CPU build, so that
# nothing else pulls a multi-gigabyte CUDA build.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# The web app on embedded SQLite with demo data, at http://$(HEALTHPM_HOST):$(HEALTHPM_PORT)
run: install
	$(BIN)/healthpm serve

# The guided terminal demo (assess and plan a demo profile)
demo: install
	$(BIN)/healthpm demo

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy src

unit: install
	$(BIN)/pytest -m "not browser"

# Storage, web and practice tests again on a throwaway PostgreSQL server (installed from
# Debian packages when missing, initdb in a temp dir, a free port, stopped at the end); then
# the backup and restore drill of docs/operating.md on another throwaway server.
postgres: install
	bash scripts/postgres-test.sh tests/web tests/navigator tests/practice tests/stories tests/jobs \
		tests/security tests/coach
	bash scripts/backup-drill.sh

# Playwright driving Debian's chromium (installed when missing); screenshots go to
# artifacts/screenshots/.
browser: install
	bash scripts/install-browser.sh
	$(BIN)/pytest -m browser tests/browser

# The nginx site and systemd unit in deploy/ through `nginx -t` and `systemd-analyze verify`
# (Debian's nginx installed when missing, never started).
deploy-check:
	bash scripts/check-deploy.sh

test: lint typecheck deploy-check unit postgres browser

bench: install
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
