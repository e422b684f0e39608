# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# One venv: `make demo` installs the package and its three dependencies only
# (about 300 MB); `make test` adds the test extras (dask, matplotlib, pandas...).
DEMO_STAMP := $(VENV)/.installed-demo
STAMP := $(VENV)/.installed
DOCS_STAMP := $(VENV)/.installed-docs

.PHONY: demo test test-min test-packaging docs bench clean

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

# The whole suite on the floors pyproject.toml declares: the minimum Python
# (python3.10, else a loud warning and $(PYTHON)) in its own venv, with every
# runtime and test dependency pinned (==) to its declared floor by
# .ci/min_requirements.py (the pins are kept in $(VENV_MIN)/constraints.txt).
VENV_MIN := .venv-min
MIN_STAMP := $(VENV_MIN)/.installed

$(MIN_STAMP): pyproject.toml Makefile .ci/min_requirements.py
	rm -rf $(VENV_MIN)
	py="$$($(PYTHON) .ci/min_requirements.py --python)" && "$$py" -m venv $(VENV_MIN)
	$(PYTHON) .ci/min_requirements.py > $(VENV_MIN)/constraints.txt
	$(VENV_MIN)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_MIN)/bin/python -m pip install --quiet -c $(VENV_MIN)/constraints.txt -e ".[test]"
	touch $@

test-min: $(MIN_STAMP)
	@$(VENV_MIN)/bin/python -c "import sys, sklearn, numpy, scipy; print('test-min on Python',\
		sys.version.split()[0], 'scikit-learn', sklearn.__version__, 'numpy', numpy.__version__,\
		'scipy', scipy.__version__)"
	$(VENV_MIN)/bin/python -m pytest

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
	rm -rf $(VENV) $(VENV_MIN) build dist *.egg-info docs/_build docs/auto_examples docs/gen_modules
