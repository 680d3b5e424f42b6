# Balans: `make run` starts the dashboard, `make test` runs every test, `make lint` checks lint and format,
# `make bench` the benchmark. All create .venv first.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test lint format install bench clean

$(VENV)/.runtime: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	# An isolated build brings the setuptools that pyproject.toml asks for (the venv's own is too old
	# for editable installs and would print an error first).
	$(PY) -m pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.dev

run: $(VENV)/.runtime
	$(PY) -m indicators demo --if-empty
	$(PY) -m streamlit run app.py --server.port $(PORT)

# lint first: a change that ruff refuses fails `make test`, and so CI (.ci/run runs `make test`).
test: lint
	$(PY) -m pytest

# ruff, configured in pyproject.toml (docs/contributing.md, "Habits").
lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Applies the formatter and the safe lint fixes to the tree (for your own change: `ruff format FILE`).
format: $(VENV)/.dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# The benchmark (docs/performance.md): queries, import and memory at sector scale, each figure held to
# its target; then how to time the first chart in chromium against a bare Streamlit page.
bench: $(VENV)/.dev
	$(PY) bench/run.py
	@echo "The first chart in a browser: $(PY) bench/browser.py [--runs 5] [--vs <another checkout>] (docs/performance.md)"

clean:
	rm -rf $(VENV)
