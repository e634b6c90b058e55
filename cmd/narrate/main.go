// Command narrate turns a book into a chaptered audiobook. It only wires
// flags and configuration to the library packages; every feature is
// usable from Go without it.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/narrate-audio/narrate/synth/backends"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal asks for a clean stop; once it came, the next one
	// kills, as for any Unix tool, even if a stage is stuck in a system
	// call that cannot watch the context.
	go func() {
		<-ctx.Done()
		stop()
	}()
	if err := newRoot(backends.New(), os.Stdout, os.Stderr).ExecuteContext(ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(os.Stderr, "narrate: interrupted; finished chapters are kept")
			os.Exit(130)
		}
		fmt.Fprintln(os.Stderr, "narrate:", err)
		os.Exit(1)
	}
}
