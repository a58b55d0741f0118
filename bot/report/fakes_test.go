package report

import (
	"context"
	"sync"
	"time"
)

// memDeduper is a hand-written store.Deduper: a map and a clock.
type memDeduper struct {
	mu   sync.Mutex
	now  func() time.Time
	seen map[string]time.Time // key → expiry
	err  error
}

func newMemDeduper(now func() time.Time) *memDeduper {
	return &memDeduper{now: now, seen: map[string]time.Time{}}
}

func (d *memDeduper) FirstSeen(_ context.Context, key string, ttl time.Duration) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		return false, d.err
	}
	if exp, ok := d.seen[key]; ok && d.now().Before(exp) {
		return false, nil
	}
	d.seen[key] = d.now().Add(ttl)
	return true, nil
}
