# anon: turn production data into safe test data.
#   make demo   anonymize the bundled sample and show the result
#   make test   run every test

GO       ?= go
BIN      := bin/anon
DEMO_KEY := demo-key-not-secret-do-not-use-in-production
DEMO_IN  := testdata/kylo-userdata/csv/userdata1.csv

.PHONY: build demo test vet kanon-adult clean

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
	@echo "== output (first 4 rows of out/customers.csv)"
	@head -n 4 out/customers.csv
	@echo "demo output written to out/customers.csv and out/customers.parquet"

test:
	$(GO) vet ./...
	$(GO) test ./...

kanon-adult: build
	@mkdir -p out
	./$(BIN) run --force --profile profiles/examples/adult-kanon.yaml \
		--input testdata/adult/adult.csv --delimiter ';' \
		--output out/adult-kanon.csv --report out/adult-kanon.json

clean:
	rm -rf bin out
