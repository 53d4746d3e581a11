# bounceplan: `make demo` shows the nightly job on sample data, `make test` runs the test suite.
# Both start a throwaway PostgreSQL unless DATABASE_URL is set, and stop it afterwards.

SWIFT ?= swift
EVENTS ?= 1000000
HISTORY ?= 0
BENCH_ARGS ?=
LINES ?= 1000000
WEBHOOK_MB ?= 1024
MBOX_MB ?= 1024
RUNS ?= 3

.PHONY: all build release demo test word-model word-model-cv bench bench-classify bench-ingest report-screenshot db-start db-stop db-shell clean

all: build

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

## demo: migrate, load sample events, run the planner, show the plans
demo: build
	scripts/with-db.sh scripts/demo.sh

## test: the whole suite, database tests included, against a throwaway PostgreSQL
test:
	$(SWIFT) build --build-tests
	scripts/with-db.sh scripts/run-tests.sh $(SWIFT) test --skip-build

## word-model: retrain Config/rules/95-word-model.tsv from the OPEN corpus only (never Corpus/blind/);
## word-model-cv: its 10-fold cross-validation by source, which chose WordModel's margins
OPEN_CORPUS = Tests/BounceClassificationTests/Corpus/responses.tsv $(sort $(wildcard Tests/BounceClassificationTests/Corpus/open/*.tsv))
word-model: build
	.build/debug/bounceplan rules learn-words --output Config/rules/95-word-model.tsv $(OPEN_CORPUS)

word-model-cv: build
	.build/debug/bounceplan rules learn-words --config-dir Config --cross-validate 10 $(OPEN_CORPUS)

## bench: the nightly run against the bare COPY baseline (release build), EVENTS=N, HISTORY=N events
## planned before the measured run, BENCH_ARGS=--history-unanalyzed for a history never analysed
bench: release
	scripts/with-db.sh .build/release/bounceplan bench --events $(EVENTS) --history $(HISTORY) $(BENCH_ARGS)

## bench-classify: `classify --tsv` throughput on a realistic mix of LINES lines, single-threaded (release
## build); RUNS runs, each printed, then the median of each figure
bench-classify: release
	.build/release/bounceplan bench-classify --lines $(LINES) --runs $(RUNS)

## bench-ingest: webhook notifications (NDJSON, WEBHOOK_MB over the five services) and bounce messages
## (an mbox of MBOX_MB) through their ingest paths into a throwaway database (release build); RUNS runs,
## each printed, then the median of each figure and the machine's load
bench-ingest: release
	RUNS=$(RUNS) scripts/with-db.sh scripts/bench-ingest.sh --webhook-mb $(WEBHOOK_MB) --mbox-mb $(MBOX_MB)

## report-screenshot: out/report.html (made from demo data when missing) rendered by headless chromium to out/report.png
report-screenshot:
	scripts/report-screenshot.sh

db-start:
	scripts/db.sh start
	@echo "DATABASE_URL=$$(scripts/db.sh url)"

db-stop:
	scripts/db.sh stop

db-shell:
	psql "$$(scripts/db.sh url)"

clean:
	$(SWIFT) package clean
