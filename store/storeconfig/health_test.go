package storeconfig

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

// TestHealthFollowsProbes checks that Check follows the store within one
// interval of each change, on a fixed 1 s interval (no backoff while the
// store is down), and that a store that died since the last successful
// probe is not ready at once.
func TestHealthFollowsProbes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		down := func(d time.Duration) bool { return d >= 10*time.Second && d < 20*time.Second }
		p := pingFunc(func(context.Context) error {
			if down(time.Since(start)) {
				return errors.New("connection refused")
			}
			return nil
		})
		h := Health{Store: p}
		if err := h.Check(t.Context()); err != nil {
			t.Fatalf("Check before any probe = %v, want the store's own ping (nil)", err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { defer close(done); h.Run(ctx) }()
		for _, c := range []struct {
			at time.Duration
			up bool
		}{{500 * time.Millisecond, true}, {9500 * time.Millisecond, true}, {10 * time.Second, false}, {10500 * time.Millisecond, false}, {19500 * time.Millisecond, false}, {20500 * time.Millisecond, true}} {
			time.Sleep(start.Add(c.at).Sub(time.Now()))
			if err := h.Check(t.Context()); (err == nil) != c.up {
				t.Errorf("at %v: Check = %v, want up=%v", c.at, err, c.up)
			}
		}
		cancel()
		<-done
	})
}

type pingFunc func(context.Context) error

func (f pingFunc) Ping(ctx context.Context) error { return f(ctx) }
