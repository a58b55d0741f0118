package bot

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

// memConversations is a hand-written store.Conversations.
type memConversations struct {
	mu     sync.Mutex
	m      map[string][]byte
	ttls   map[string]time.Duration
	getErr error
	putErr error
}

func newMemConversations() *memConversations {
	return &memConversations{m: map[string][]byte{}, ttls: map[string]time.Duration{}}
}

func (c *memConversations) Get(_ context.Context, key string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.getErr != nil {
		return nil, false, c.getErr
	}
	v, ok := c.m[key]
	return v, ok, nil
}

func (c *memConversations) Delete(_ context.Context, key string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.putErr != nil {
		return c.putErr
	}
	delete(c.m, key)
	delete(c.ttls, key)
	return nil
}

func (c *memConversations) Put(_ context.Context, key string, value []byte, ttl time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.putErr != nil {
		return c.putErr
	}
	c.m[key] = value
	c.ttls[key] = ttl
	return nil
}
