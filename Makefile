# The README's commands, plus the single checks and the benchmark.
# `make run` and `make test` do exactly what ./scripts/run and ./scripts/test do.

VENV := .venv
BIN := $(VENV)/bin
# A PostgreSQL server for `make bench`; empty means a throwaway one (scripts/with-postgres).
BENCH_DATABASE_URL ?=
BENCH_ARGS ?=

.PHONY: run test ci lint format typecheck migrations bench bench-sqlite bench-postgresql

run:
	./scripts/run

test:
	./scripts/test

ci:
	bash .ci/run

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck:
	$(BIN)/mypy

migrations:
	DJANGO_SETTINGS_MODULE=eyecontact.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# 100,000 people and 1,000,000 touches, in a data folder of its own; figures go to bench/results/.
bench: bench-sqlite bench-postgresql

bench-sqlite:
	$(BIN)/python bench/people_bench.py $(BENCH_ARGS)

bench-postgresql:
ifeq ($(BENCH_DATABASE_URL),)
	./scripts/with-postgres sh -c '$(BIN)/python bench/people_bench.py --database-url "$$DATABASE_URL" $(BENCH_ARGS)'
else
	$(BIN)/python bench/people_bench.py --database-url "$(BENCH_DATABASE_URL)" $(BENCH_ARGS)
endif
