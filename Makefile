# narrate: two commands set everything up on a fresh Debian machine.
#   make demo   renders the sample book into out/demo/
#   make test   runs go vet and the whole test suite

GO      ?= go
BIN     := bin/narrate
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
SAMPLE  := examples/the-lamplighters-wager.txt

.PHONY: all build deps test-deps demo test test-race bench eval clean

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
	@echo "Your audiobook is in out/demo/ (with subtitles and a playlist):"
	@ls -1 out/demo/*.mp3

# -artifacts keeps what tests save for people to look at, such as the
# read-along page's screenshot, under out/test/.
test: test-deps
	$(GO) vet ./...
	@mkdir -p out/test
	$(GO) test -artifacts -outputdir $(CURDIR)/out/test ./...

# The race detector over the concurrent packages; -short skips the
# whole-book renders, which take minutes under -race.
test-race: test-deps
	$(GO) test -race -short ./pipeline/... ./mix/... ./synth/... ./audio/...

# Quote detection and speaker attribution on the PDNC dev set in ../shared
# (read in place): predictions from `narrate segment`, scored by the
# data set's own scorer; then the cast from `narrate cast`, scored against
# the set's character lists (needs python3-yaml).
EVAL_DIR ?= ../shared/eval/quotes/dev
eval: test-deps build
	@mkdir -p preds/eval
	@for f in $(EVAL_DIR)/*.txt; do \
		n=$$(basename $$f .txt); \
		$(BIN) segment $$f --format jsonl 2>/dev/null | grep "\"kind\":\"dialogue\"" > preds/eval/$$n.pred.jsonl || exit 1; \
	done
	python3 ../shared/eval/quotes/score.py $(EVAL_DIR) preds/eval --json preds/eval/scores.json
	python3 ../shared/eval/quotes/score_cast.py $(BIN) $(EVAL_DIR) --json preds/eval/cast-scores.json

# Speed, memory and scale-out against the naive espeak-ng + lame pipeline
# (about 6-7 minutes on 2 cores); prints a table and writes
# bench/results.json. `go run ./bench -long` renders the whole of
# Moby-Dick once (about 9 minutes) into bench/results-long.json.
bench: deps
	@scripts/install-deps --bench
	$(GO) run ./bench

clean:
	rm -rf bin out
