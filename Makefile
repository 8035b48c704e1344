# Sinergi — the two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SUM    := $(shell cksum pyproject.toml | cut -d' ' -f1)
# Running needs only the package; the test tools (browser driver, linters...) are `make test`'s.
RUN_STAMP := $(VENV)/.installed-run-$(SUM)
STAMP     := $(VENV)/.installed-dev-$(SUM)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test setup lint messages clean

$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	rm -f $(VENV)/.installed-run-*
	touch $(RUN_STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP) $(RUN_STAMP)

setup: $(STAMP)

## Set up, migrate the embedded database, load the demo once, start the web server and the worker.
run: $(RUN_STAMP)
	$(BIN)/sinergi start --demo --host $(HOST) --port $(PORT)

## Set up, then lint, check, verify migrations, check types and run the whole test suite.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sinergi check --fail-level WARNING
	$(BIN)/sinergi makemigrations --check --dry-run
	@# Types of the services, the import pipeline and the pure modules ([tool.mypy] in pyproject).
	$(BIN)/mypy
	@# pytest exits 5 when it collected no test: that is a failure here, never a pass.
	$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "No tests were collected." >&2; exit 1; fi; exit $$status

## Extract the interface strings into the catalogues, then compile them (needs GNU gettext).
messages: $(STAMP)
	cd sinergi && ../$(BIN)/sinergi makemessages --no-obsolete --no-location -l id -l en -l vi
	cd sinergi && ../$(BIN)/sinergi compilemessages

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
