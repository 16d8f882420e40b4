# anon: turn production data into safe test data.
#   make demo   anonymize the bundled sample and show the result
#   make test   run every test

GO       ?= go
BIN      := bin/anon
DEMO_KEY := demo-key-not-secret-do-not-use-in-production
DEMO_IN  := testdata/kylo-userdata/csv/userdata1.csv

.PHONY: build demo test vet kanon-adult clean bench bench-tools bench-data fuzz

build:
	$(GO) build -o $(BIN) ./cmd/anon

demo: build
	@mkdir -p out
	@echo "== input (first 4 rows of $(DEMO_IN))"
	@head -n 4 $(DEMO_IN)
	ANON_KEY=$(DEMO_KEY) ./$(BIN) run --force \
		--profile profiles/examples/customers.yaml \
		--input $(DEMO_IN) --output out/customers.csv
	ANON_KEY=$(DEMO_KEY) ./$(BIN) run --force --no-progress \
		--profile profiles/examples/customers.yaml \
		--input $(DEMO_IN) --output out/customers.parquet
	./$(BIN) verify -p profiles/examples/customers.yaml --original $(DEMO_IN) --anonymized out/customers.csv
	@echo "== output (first 4 rows of out/customers.csv)"
	@head -n 4 out/customers.csv
	@echo "demo output written to out/customers.csv and out/customers.parquet"

test:
	$(GO) vet ./...
	$(GO) test -timeout 30m ./...

# Fuzz each target for FUZZTIME (default 30s); `make test` runs their seed
# corpora. New failing inputs are saved under the package's testdata/fuzz/.
FUZZTIME ?= 30s

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzCSVRoundTrip$$' -fuzztime $(FUZZTIME) ./formats
	$(GO) test -run '^$$' -fuzz '^FuzzNDJSONReader$$' -fuzztime $(FUZZTIME) ./formats
	$(GO) test -run '^$$' -fuzz '^FuzzProfileParse$$' -fuzztime $(FUZZTIME) ./profiles
	$(GO) test -run '^$$' -fuzz '^FuzzStrategies$$' -fuzztime $(FUZZTIME) ./transform

kanon-adult: build
	@mkdir -p out
	./$(BIN) run --force --profile profiles/examples/adult-kanon.yaml \
		--input testdata/adult/adult.csv --delimiter ';' \
		--output out/adult-kanon.csv --report out/adult-kanon.json

# Benchmarks (issue 7): never part of `make test`. BENCH_ROWS sets the table
# size; BENCH_MEM_ROWS=20000000 adds the memory check on a larger table.
# The DuckDB peer is a separate module (benchmarks/duckdb): its first build
# downloads about 150 MB; if it cannot be built, the runner skips DuckDB.
BENCH_ROWS     ?= 2000000
BENCH_MEM_ROWS ?=
BENCH_KANON_ROWS ?= 10000000
BENCH_DIR      := out/bench

bench-tools: build
	$(GO) build -o bin/baseline ./benchmarks/baseline
	$(GO) build -o bin/bench-gen ./benchmarks/gen
	@(cd benchmarks/duckdb && $(GO) build -o ../../bin/duckdb-peer .) || \
		{ rm -f bin/duckdb-peer; \
		  echo "bench: the DuckDB peer could not be built (cgo and the duckdb-go" \
		       "download are needed); DuckDB is skipped"; }

bench-data: bench-tools
	@test -f $(BENCH_DIR)/$(BENCH_ROWS)/.done || { \
		./bin/bench-gen -rows $(BENCH_ROWS) -seed 42 -out $(BENCH_DIR)/$(BENCH_ROWS) && \
		touch $(BENCH_DIR)/$(BENCH_ROWS)/.done; }
	@test -z "$(BENCH_MEM_ROWS)" || test -f $(BENCH_DIR)/$(BENCH_MEM_ROWS)/.done || { \
		./bin/bench-gen -rows $(BENCH_MEM_ROWS) -seed 42 -out $(BENCH_DIR)/$(BENCH_MEM_ROWS) && \
		touch $(BENCH_DIR)/$(BENCH_MEM_ROWS)/.done; }
	@test -z "$(BENCH_KANON_ROWS)" || test -f $(BENCH_DIR)/adult-$(BENCH_KANON_ROWS).csv || \
		./bin/bench-gen -adult-rows $(BENCH_KANON_ROWS) -seed 42 -out $(BENCH_DIR)

bench: bench-data
	$(GO) run ./benchmarks/run -data $(BENCH_DIR)/$(BENCH_ROWS) \
		$(if $(BENCH_MEM_ROWS),-mem-data $(BENCH_DIR)/$(BENCH_MEM_ROWS)) \
		$(if $(BENCH_KANON_ROWS),-kanon-data $(BENCH_DIR)/adult-$(BENCH_KANON_ROWS).csv)

clean:
	rm -rf bin out
