# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# One venv: `make demo` installs the package and its three dependencies only
# (about 300 MB); `make test` adds the test extras (dask, matplotlib, pandas...).
DEMO_STAMP := $(VENV)/.installed-demo
STAMP := $(VENV)/.installed
DOCS_STAMP := $(VENV)/.installed-docs

.PHONY: demo test test-packaging docs bench clean

$(DEMO_STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e .
	touch $(DEMO_STAMP)

# The test extras hold everything the demo needs, so this stamp serves both.
$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(DEMO_STAMP) $(STAMP)

demo: $(DEMO_STAMP)
	$(PY) -m sklearn_pinv demo

test: $(STAMP)
	$(PY) -m pytest

# Builds sdist + wheel, installs the wheel into a fresh venv, runs the demo, builds
# the docs with -W (~1.5 min).
test-packaging: $(DOCS_STAMP)
	SKLEARN_PINV_SLOW=1 $(PY) -m pytest tests/test_packaging.py

$(DOCS_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[docs]"
	touch $(DOCS_STAMP)

# HTML in docs/_build/html; every warning is an error; the gallery runs.
docs: $(DOCS_STAMP)
	$(PY) -m sphinx -W --keep-going -b html docs docs/_build/html

bench: $(STAMP)
	$(PY) benchmarks/bench_fit.py

clean:
	rm -rf $(VENV) build dist *.egg-info docs/_build docs/auto_examples docs/gen_modules
