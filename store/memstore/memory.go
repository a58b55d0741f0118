package memstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban/store"
)

// A lease is a held lock: its fencing token and when it lapses.
type lease struct {
	token   int64
	expires time.Time
}

// Lock implements store.Locker. The fencing counter is persisted, so
// tokens keep increasing across restarts even though leases do not survive
// them.
func (s *Store) Lock(ctx context.Context, name string, ttl time.Duration) (int64, error) {
	if err := s.checkTTL(ctx, ttl); err != nil {
		return 0, fmt.Errorf("memstore: lock %q: %w", name, err)
	}
	s.lockMu.Lock()
	defer s.lockMu.Unlock()
	if err := s.checkOpen(ctx); err != nil {
		return 0, fmt.Errorf("memstore: lock %q: %w", name, err)
	}
	now := s.now()
	if l, ok := s.leases[name]; ok && l.expires.After(now) {
		return 0, fmt.Errorf("memstore: lock %q: %w", name, store.ErrLocked)
	}
	var token uint64
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFence)
		if v := b.Get([]byte(name)); len(v) == 8 {
			token = binary.BigEndian.Uint64(v)
		}
		token++
		return b.Put([]byte(name), binary.BigEndian.AppendUint64(nil, token))
	})
	if err != nil {
		return 0, fmt.Errorf("memstore: lock %q: fence: %w", name, err)
	}
	s.leases[name] = lease{token: int64(token), expires: now.Add(ttl)}
	return int64(token), nil
}

// Extend implements store.Locker.
func (s *Store) Extend(ctx context.Context, name string, token int64, ttl time.Duration) error {
	if err := s.checkTTL(ctx, ttl); err != nil {
		return fmt.Errorf("memstore: extend %q: %w", name, err)
	}
	s.lockMu.Lock()
	defer s.lockMu.Unlock()
	now := s.now()
	if !s.holds(name, token, now) {
		return fmt.Errorf("memstore: extend %q: %w", name, store.ErrNotHeld)
	}
	s.leases[name] = lease{token: token, expires: now.Add(ttl)}
	return nil
}

// Unlock implements store.Locker.
func (s *Store) Unlock(ctx context.Context, name string, token int64) error {
	if err := s.checkOpen(ctx); err != nil {
		return fmt.Errorf("memstore: unlock %q: %w", name, err)
	}
	s.lockMu.Lock()
	defer s.lockMu.Unlock()
	if !s.holds(name, token, s.now()) {
		return fmt.Errorf("memstore: unlock %q: %w", name, store.ErrNotHeld)
	}
	delete(s.leases, name)
	return nil
}

// holds reports whether token holds an unexpired lease on name; the caller
// holds s.lockMu.
func (s *Store) holds(name string, token int64, now time.Time) bool {
	l, ok := s.leases[name]
	return ok && l.token == token && l.expires.After(now)
}
