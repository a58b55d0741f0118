package emulator

import (
	"context"
	"slices"
	"sync"
	"time"
)

// SandboxMaxKeys bounds each part of a Sandbox (dedup keys, conversations,
// journal logs): a busy emulator session forgets its oldest state rather
// than grow without end. It is generous for anyone typing questions.
const SandboxMaxKeys = 10_000

// SandboxMaxEntries bounds one journal log of a Sandbox.
const SandboxMaxEntries = 1_000

// A Sandbox is the emulator's own state, in memory: message dedup,
// follow-up context, pending confirmations and the progress journal its
// reports write. It has the methods of store.Deduper, store.Conversations
// and store.Journal, so `duban serve` builds the emulator's chain over it
// instead of the real store: a report typed in the emulator, under any
// name, never reaches the production journal, and so never feeds
// reminders, answers in real chats or exports. It is lost on restart,
// which is what a sandbox is for.
type Sandbox struct {
	now func() time.Time

	mu      sync.Mutex
	seen    map[string]time.Time // dedup key → expiry
	conv    map[string]sandboxValue
	journal map[string][][]byte
}

type sandboxValue struct {
	b   []byte
	exp time.Time
}

// NewSandbox returns an empty Sandbox on clock now (nil: time.Now).
func NewSandbox(now func() time.Time) *Sandbox {
	if now == nil {
		now = time.Now
	}
	return &Sandbox{now: now, seen: map[string]time.Time{}, conv: map[string]sandboxValue{}, journal: map[string][][]byte{}}
}

// FirstSeen records key for ttl and reports whether it was new.
func (s *Sandbox) FirstSeen(_ context.Context, key string, ttl time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if exp, ok := s.seen[key]; ok && now.Before(exp) {
		return false, nil
	}
	if len(s.seen) >= SandboxMaxKeys {
		for k, exp := range s.seen {
			if !now.Before(exp) {
				delete(s.seen, k)
			}
		}
		if len(s.seen) >= SandboxMaxKeys {
			clear(s.seen)
		}
	}
	s.seen[key] = now.Add(ttl)
	return true, nil
}

// Get returns the value under key while it lives.
func (s *Sandbox) Get(_ context.Context, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.conv[key]
	if !ok || !s.now().Before(v.exp) {
		return nil, false, nil
	}
	return slices.Clone(v.b), true, nil
}

// Put stores value under key for ttl.
func (s *Sandbox) Put(_ context.Context, key string, value []byte, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.conv[key]; !ok && len(s.conv) >= SandboxMaxKeys {
		clear(s.conv)
	}
	s.conv[key] = sandboxValue{b: slices.Clone(value), exp: s.now().Add(ttl)}
	return nil
}

// Delete forgets key.
func (s *Sandbox) Delete(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conv, key)
	return nil
}

// Append adds value to key's log and returns its 1-based sequence number.
func (s *Sandbox) Append(_ context.Context, key string, value []byte) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.journal[key]; !ok && len(s.journal) >= SandboxMaxKeys {
		clear(s.journal)
	}
	l := s.journal[key]
	if len(l) >= SandboxMaxEntries {
		l = nil // a fresh log: sequence numbers must stay positions
	}
	s.journal[key] = append(l, slices.Clone(value))
	return int64(len(s.journal[key])), nil
}

// List returns key's log, oldest first.
func (s *Sandbox) List(_ context.Context, key string) ([][]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][]byte, len(s.journal[key]))
	for i, b := range s.journal[key] {
		out[i] = slices.Clone(b)
	}
	return out, nil
}

// Keys returns every key that has a log, sorted.
func (s *Sandbox) Keys(context.Context) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]string, 0, len(s.journal))
	for k := range s.journal {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys, nil
}
