# The README's two commands: `make run` and `make test`. Everything lives in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Tests and benchmarks run on the local PostgreSQL and Redis (see README, configuration).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint bench mutants screenshots venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m portal.devrun

# Format, lint and types: the house rules a machine can check (pyproject.toml holds the
# settings). `make test` runs them first, so CI fails on a regression; LINT=0 skips them
# for a quick rerun of a few tests.
lint: $(STAMP)
	$(BIN)/ruff format --check --quiet .
	$(BIN)/ruff check --quiet .
	$(BIN)/mypy .

test: $(STAMP) $(if $(filter 0,$(LINT)),,lint)
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
	$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; exit $$rc

bench: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/python -m benchmarks.run $(if $(N),--n $(N),)

# Mutation testing of one module with only the tests that concern it (README: "Mutation testing").
mutants: $(STAMP)
	@test -n "$(MODULE)" -a -n "$(TESTS)" || { echo 'usage: make mutants MODULE=dids/numbers.py TESTS="tests/dids/test_numbers.py"'; exit 2; }
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
	$(BIN)/python scripts/mutants.py --module '$(MODULE)' --tests '$(TESTS)' \
		$(if $(ONLY),--only '$(ONLY)',) $(if $(MAX_CHILDREN),--max-children $(MAX_CHILDREN),)

# Pictures of the main pages at 1440 and 390 px in docs/screenshots/ (README: "Screenshots"):
# runs `make run`'s supervisor in a scratch folder, demo data, Chromium at /usr/bin/chromium.
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py $(if $(ONLY),--only $(ONLY),)

clean:
	rm -rf $(VENV) var
