package storeconfig

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// flakyPinger fails the pings whose 0-based index is in down.
type flakyPinger struct {
	mu    sync.Mutex
	start time.Time
	at    []time.Duration
	down  func(i int) bool
}

func (p *flakyPinger) Ping(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	i := len(p.at)
	p.at = append(p.at, time.Since(p.start))
	if p.down(i) {
		return errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")
	}
	return nil
}

// TestWatchBacksOff checks the retry schedule while Redis is down at boot
// (1, 2, 4, 8, 16 s), the steady 30 s once it is up, the backoff starting
// over at 1 s after a new outage, and the state changes reported.
func TestWatchBacksOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &flakyPinger{start: time.Now(), down: func(i int) bool { return i < 5 || i == 7 || i == 8 }}
		var changes []bool
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() {
			defer close(done)
			Watch(ctx, p, WatchConfig{OnChange: func(up bool) { changes = append(changes, up) }})
		}()
		time.Sleep(200 * time.Second)
		cancel()
		<-done
		s := time.Second
		want := []time.Duration{0, 1 * s, 3 * s, 7 * s, 15 * s, 31 * s, 61 * s, 91 * s, 92 * s, 94 * s, 124 * s, 154 * s, 184 * s}
		if !slices.Equal(p.at, want) {
			t.Errorf("pings at %v, want %v", p.at, want)
		}
		if wantC := []bool{false, true, false, true}; !slices.Equal(changes, wantC) {
			t.Errorf("changes = %v, want %v", changes, wantC)
		}
	})
}
