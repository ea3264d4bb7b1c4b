# The README's two commands: `make run` and `make test`. Everything lives in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Tests and benchmarks run on the local PostgreSQL and Redis (see README, configuration).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test bench mutants screenshots venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m portal.devrun

test: $(STAMP)
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
