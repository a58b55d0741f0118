package questiongen_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"duban/handlers"
	"duban/kb"
	"duban/kb/ingest"
	"duban/kb/ingest/seedtest"
)

// testNow is the fixed "now" of every scored question: 本月 is August 2020,
// inside the seeds' plan year, so time windows have tasks in them.
var testNow = time.Date(2020, 8, 20, 9, 0, 0, 0, kb.Location)

var (
	seedOnce    sync.Once
	seedBase    *kb.Base
	seedHandler *handlers.Handler
	seedErr     error
)

// seeds loads the seed documents once per test binary; every test and
// benchmark of the package shares the base and the handler.
func seeds(tb testing.TB) (*kb.Base, *handlers.Handler) {
	tb.Helper()
	dir := seedtest.Dir(tb)
	seedOnce.Do(func() {
		b, _, err := ingest.LoadDir(context.Background(), dir)
		if b == nil {
			seedErr = fmt.Errorf("load seeds %s: %w", dir, err)
			return
		}
		if err := b.WaitIndexed(); err != nil {
			seedErr = fmt.Errorf("index seeds: %w", err)
			return
		}
		seedBase = b
		seedHandler = handlers.New(b, handlers.Config{Now: func() time.Time { return testNow }})
	})
	if seedErr != nil {
		tb.Fatal(seedErr)
	}
	return seedBase, seedHandler
}

// ask answers one question with no follow-up state.
func ask(h *handlers.Handler, q string) handlers.Reply {
	return h.Answer(context.Background(), handlers.Question{Text: q})
}
