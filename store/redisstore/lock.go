package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"duban/store"
)

// lockKeys returns the lock and fence-counter keys of name. The braces
// make them one hash tag, so the lock script's two keys share a Cluster
// slot.
func (s *Store) lockKeys(name string) []string {
	k := s.prefix + "lock:{" + name + "}"
	return []string{k, k + ":fence"}
}

// Lock implements store.Locker: one script checks the lock, increments the
// fencing counter and sets the lock with its PX ttl. The counter has no
// expiry, so tokens increase across expired and released leases.
func (s *Store) Lock(ctx context.Context, name string, ttl time.Duration) (int64, error) {
	if err := checkTTL(ttl); err != nil {
		return 0, fmt.Errorf("redisstore: lock %q: %w", name, err)
	}
	tok, err := lockScript.Run(ctx, s.client, s.lockKeys(name), pxArg(ttl)).Int64()
	if err != nil {
		return 0, fmt.Errorf("redisstore: lock %q: %w", name, err)
	}
	if tok == 0 {
		return 0, fmt.Errorf("redisstore: lock %q: %w", name, store.ErrLocked)
	}
	return tok, nil
}

// Extend implements store.Locker.
func (s *Store) Extend(ctx context.Context, name string, token int64, ttl time.Duration) error {
	if err := checkTTL(ttl); err != nil {
		return fmt.Errorf("redisstore: extend %q: %w", name, err)
	}
	keys := s.lockKeys(name)[:1]
	n, err := extendScript.Run(ctx, s.client, keys, strconv.FormatInt(token, 10), pxArg(ttl)).Int64()
	if err != nil {
		return fmt.Errorf("redisstore: extend %q: %w", name, err)
	}
	if n == 0 {
		return fmt.Errorf("redisstore: extend %q: %w", name, store.ErrNotHeld)
	}
	return nil
}

// Unlock implements store.Locker.
func (s *Store) Unlock(ctx context.Context, name string, token int64) error {
	keys := s.lockKeys(name)[:1]
	n, err := unlockScript.Run(ctx, s.client, keys, strconv.FormatInt(token, 10)).Int64()
	if err != nil {
		return fmt.Errorf("redisstore: unlock %q: %w", name, err)
	}
	if n == 0 {
		return fmt.Errorf("redisstore: unlock %q: %w", name, store.ErrNotHeld)
	}
	return nil
}

// Reserve implements store.Limiter with the generic cell rate algorithm: a
// bucket is its theoretical arrival time (TAT), the moment it would be
// full again. Each call pushes the TAT one emission interval (per/burst)
// further; the caller waits for whatever of the TAT lies beyond the
// tolerance of per minus one interval. That is a token bucket of burst
// tokens refilling burst every per, kept as one timestamp in one key that
// expires when the bucket is full again.
func (s *Store) Reserve(ctx context.Context, key string, burst int, per time.Duration) (time.Duration, error) {
	if burst <= 0 || per <= 0 {
		return 0, fmt.Errorf("redisstore: reserve %q: burst %d and per %v must be positive", key, burst, per)
	}
	interval := per / time.Duration(burst)
	now := ""
	if s.now != nil {
		now = strconv.FormatInt(s.now().UnixMicro(), 10)
	}
	wait, err := reserveScript.Run(ctx, s.client, []string{s.key("rate", key)},
		interval.Microseconds(), per.Microseconds(), now).Int64()
	if err != nil {
		return 0, fmt.Errorf("redisstore: reserve %q: %w", key, err)
	}
	return time.Duration(wait) * time.Microsecond, nil
}
