# narrate: two commands set everything up on a fresh Debian machine.
#   make demo   renders the sample book into out/demo/
#   make test   runs go vet and the whole test suite

GO      ?= go
BIN     := bin/narrate
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
SAMPLE  := examples/the-lamplighters-wager.txt

.PHONY: all build deps test-deps demo test test-race test-slow bench eval clean

all: build

deps:
	@scripts/install-deps
	@$(GO) mod download

test-deps:
	@scripts/install-deps --test
	@$(GO) mod download

build: deps
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/narrate

demo: build
	@rm -rf out/demo
	$(BIN) render $(SAMPLE) -o out/demo
	@echo
	@echo "Your audiobook is in out/demo/:"
	@ls -1 out/demo

test: test-deps
	$(GO) vet ./...
	$(GO) test ./...

test-race: test-deps
	$(GO) test -race ./pipeline/... ./mix/... ./synth/...

clean:
	rm -rf bin out
