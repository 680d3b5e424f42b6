# Balans: `make run` starts the dashboard, `make test` runs every test, `make bench` the benchmark. All create .venv first.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test install bench clean

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

test: $(VENV)/.dev
	$(PY) -m pytest

# The benchmark (docs/performance.md): queries, import and memory at sector scale, each figure held to
# its target; then how to time the first chart in chromium against a bare Streamlit page.
bench: $(VENV)/.dev
	$(PY) bench/run.py
	@echo "The first chart in a browser: $(PY) bench/browser.py [--runs 5] [--vs <another checkout>] (docs/performance.md)"

clean:
	rm -rf $(VENV)
