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

// Delete implements store.Conversations with DEL.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := s.client.Del(ctx, s.key("conv", key)).Err(); err != nil {
		return fmt.Errorf("redisstore: delete %q: %w", key, err)
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
