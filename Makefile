# The README's commands, plus the single checks and the benchmark.
# `make run` and `make test` do exactly what ./scripts/run and ./scripts/test do.

VENV := .venv
BIN := $(VENV)/bin
# A PostgreSQL server for `make bench`; empty means a throwaway one (scripts/with-postgres).
BENCH_DATABASE_URL ?=
BENCH_ARGS ?=

.PHONY: run test ci lint format typecheck migrations bench bench-sqlite bench-postgresql \
	bench-imports bench-imports-independent bench-imports-memory bench-matching bench-churn bench-capture \
	bench-capture-resolve

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

# One heavy user's exports (30,000 LinkedIn, 5,000 Facebook, 105,000 X, 3,000 vCards, ten years
# of calendar) imported into a fresh database: time, peak memory, precision/recall/F1.
bench-imports:
	$(BIN)/python bench/imports_bench.py --seed 7 $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

# The same import of the independent population (bench/gen/people.py), people the matcher was
# not tuned on: precision, recall at a glance, reviews, who shows as met.
bench-imports-independent:
	$(BIN)/python bench/imports_bench.py --seed 7 --generator people $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

# The largest file Eye Contact accepts, of each format, imported with `eyecontact import`:
# peak memory (sampled RSS of the command and its reading process) and time, aim under 1 GB.
bench-imports-memory:
	$(BIN)/python bench/imports_memory.py

bench-matching:
	$(BIN)/python bench/matching_bench.py --seed 7

# Two follower lists of 10,000,000 X account ids.
bench-churn:
	$(BIN)/python bench/churn_bench.py --ids 10000000

# 50 phones capturing at the booth for a minute against a real server on PostgreSQL.
bench-capture:
	$(BIN)/python bench/capture_load.py --seconds 60

# Matching 5,000 waiting booth captures to people: CPU and queries per capture, a few thousand
# people and 20,000 in the ledger, on SQLite and PostgreSQL.
bench-capture-resolve:
	$(BIN)/python bench/capture_resolve_bench.py --people 3000 --touches 15000
	$(BIN)/python bench/capture_resolve_bench.py --people 3000 --touches 15000 --postgresql
	$(BIN)/python bench/capture_resolve_bench.py
	$(BIN)/python bench/capture_resolve_bench.py --postgresql
