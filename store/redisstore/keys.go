package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// FirstSeen implements store.Deduper with SET NX PX.
func (s *Store) FirstSeen(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := checkTTL(ttl); err != nil {
		return false, fmt.Errorf("redisstore: first seen %q: %w", key, err)
	}
	ok, err := s.client.SetNX(ctx, s.key("dedup", key), "1", px(ttl)).Result()
	if err != nil {
		return false, fmt.Errorf("redisstore: first seen %q: %w", key, err)
	}
	return ok, nil
}

// Get implements store.Conversations.
func (s *Store) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, err := s.client.Get(ctx, s.key("conv", key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("redisstore: get %q: %w", key, err)
	}
	return v, true, nil
}

// Put implements store.Conversations.
func (s *Store) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := checkTTL(ttl); err != nil {
		return fmt.Errorf("redisstore: put %q: %w", key, err)
	}
	if err := s.client.Set(ctx, s.key("conv", key), value, px(ttl)).Err(); err != nil {
		return fmt.Errorf("redisstore: put %q: %w", key, err)
	}
	return nil
}

// Claim implements store.Ledger with SET NX PX: a key that is claimed or
// sent exists, so only an absent (or expired) key can be claimed.
func (s *Store) Claim(ctx context.Context, key string, claimTTL time.Duration) (bool, error) {
	if err := checkTTL(claimTTL); err != nil {
		return false, fmt.Errorf("redisstore: claim %q: %w", key, err)
	}
	ok, err := s.client.SetNX(ctx, s.key("ledger", key), "c", px(claimTTL)).Result()
	if err != nil {
		return false, fmt.Errorf("redisstore: claim %q: %w", key, err)
	}
	return ok, nil
}

// Confirm implements store.Ledger. One SET replaces the claim with the sent
// mark and its retention (or none) atomically, so it needs no script. It
// records the send even when the claim has expired meanwhile: the message
// went out, and sending it twice is the worse error.
func (s *Store) Confirm(ctx context.Context, key string, retain time.Duration) error {
	if retain < 0 {
		return fmt.Errorf("redisstore: confirm %q: negative retention %v", key, retain)
	}
	if err := s.client.Set(ctx, s.key("ledger", key), "s", px(retain)).Err(); err != nil {
		return fmt.Errorf("redisstore: confirm %q: %w", key, err)
	}
	return nil
}

// Release implements store.Ledger: a script deletes the key only while it
// holds a claim, so a confirmed key stays.
func (s *Store) Release(ctx context.Context, key string) error {
	err := releaseScript.Run(ctx, s.client, []string{s.key("ledger", key)}).Err()
	if err != nil {
		return fmt.Errorf("redisstore: release %q: %w", key, err)
	}
	return nil
}

// Sent implements store.Ledger.
func (s *Store) Sent(ctx context.Context, key string) (bool, error) {
	v, err := s.client.Get(ctx, s.key("ledger", key)).Result()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("redisstore: sent %q: %w", key, err)
	}
	return v == "s", nil
}
