package memstore

import (
	"context"
	"fmt"
	"time"
)

// FirstSeen implements store.Deduper. It answers from memory; the key
// reaches the file with the next flush (see Config.FlushEvery).
func (s *Store) FirstSeen(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := s.checkTTL(ctx, ttl); err != nil {
		return false, fmt.Errorf("memstore: first seen %q: %w", key, err)
	}
	first, err := s.dedup.firstSeen(key, s.now(), ttl)
	if err != nil {
		return false, fmt.Errorf("memstore: first seen %q: %w", key, err)
	}
	return first, nil
}

// Get implements store.Conversations. It answers from memory.
func (s *Store) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, fmt.Errorf("memstore: get %q: %w", key, err)
	}
	val, ok, err := s.conv.get(key, s.now())
	if err != nil {
		return nil, false, fmt.Errorf("memstore: get %q: %w", key, err)
	}
	return val, ok, nil
}

// Put implements store.Conversations. It stores in memory; the value
// reaches the file with the next flush (see Config.FlushEvery).
func (s *Store) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := s.checkTTL(ctx, ttl); err != nil {
		return fmt.Errorf("memstore: put %q: %w", key, err)
	}
	if err := s.conv.put(key, value, s.now(), ttl); err != nil {
		return fmt.Errorf("memstore: put %q: %w", key, err)
	}
	return nil
}

// Delete implements store.Conversations. It deletes from memory; the
// file forgets the key with the next flush.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: delete %q: %w", key, err)
	}
	if err := s.conv.del(key); err != nil {
		return fmt.Errorf("memstore: delete %q: %w", key, err)
	}
	return nil
}

// checkTTL returns ctx's error, or an error for a ttl that is not positive.
func (s *Store) checkTTL(ctx context.Context, ttl time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if ttl <= 0 {
		return fmt.Errorf("ttl %v is not positive", ttl)
	}
	return nil
}
