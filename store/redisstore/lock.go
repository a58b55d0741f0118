package redisstore

import (
	"context"
	"errors"
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
	cmd := s.runDurable(ctx, lockScript, s.lockKeys(name), pxArg(ttl))
	tok, err := cmd.Int64()
	if errors.Is(err, ErrNotReplicated) {
		// Held on a master that a failover may lose: give it back, so the
		// caller's retry does not find its own lock.
		held, _ := cmd.Val().(int64)
		_ = unlockScript.Run(context.WithoutCancel(ctx), s.client, s.lockKeys(name)[:1], strconv.FormatInt(held, 10)).Err()
	}
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

// Reserve implements store.Limiter with a sliding-window log kept in one
// list per key (see memstore.Store.Reserve for why not a token bucket, nor
// reservations ahead of time).
func (s *Store) Reserve(ctx context.Context, key string, burst int, per time.Duration) (time.Duration, error) {
	if burst <= 0 || per <= 0 {
		return 0, fmt.Errorf("redisstore: reserve %q: burst %d and per %v must be positive", key, burst, per)
	}
	wait, err := reserveScript.Run(ctx, s.client, []string{s.key("rate", key)},
		burst, per.Microseconds(), s.nowArg()).Int64()
	if err != nil {
		return 0, fmt.Errorf("redisstore: reserve %q: %w", key, err)
	}
	return time.Duration(wait) * time.Microsecond, nil
}

// Block implements store.Limiter.
func (s *Store) Block(ctx context.Context, key string, burst int, per, d time.Duration) error {
	if burst <= 0 || per <= 0 || d < 0 {
		return fmt.Errorf("redisstore: block %q: burst %d, per %v and d %v must be positive", key, burst, per, d)
	}
	err := blockScript.Run(ctx, s.client, []string{s.key("rate", key)},
		burst, per.Microseconds(), s.nowArg(), d.Microseconds()).Err()
	if err != nil {
		return fmt.Errorf("redisstore: block %q: %w", key, err)
	}
	return nil
}

// nowArg is the limiter scripts' clock: Config.Now in µs, or "" for the
// server's TIME, the one clock all replicas share.
func (s *Store) nowArg() string {
	if s.now == nil {
		return ""
	}
	return strconv.FormatInt(s.now().UnixMicro(), 10)
}
