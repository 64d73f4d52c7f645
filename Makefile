# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CORPUS ?= sample_corpus

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install when the project's metadata changes; the package itself is editable.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/paperdeck $(CORPUS)

# The import contracts (pyproject.toml, [tool.importlinter]) and mypy (its `files`) first.
# pytest's exit status 5 means "no tests collected": that is a failure here, not a pass.
# The tests run on every core (pytest-xdist); tests marked with one xdist_group share a worker.
test: $(VENV)/.installed-test
	$(BIN)/python -m ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -n auto --dist loadgroup; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$status

lint: $(VENV)/.installed-test
	$(BIN)/python -m ruff check src tests bench
	$(BIN)/python -m ruff format --check src tests bench

# 10k and 100k papers (4 to 6 minutes on 2 quiet cores); `python -m bench.run --quick` for 1,000
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.run --sizes 10000,100000

clean:
	rm -rf $(VENV) .pytest_cache sample_corpus/.paperdeck
