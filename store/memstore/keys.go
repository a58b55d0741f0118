package memstore

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// FirstSeen implements store.Deduper.
func (s *Store) FirstSeen(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := s.checkTTL(ctx, ttl); err != nil {
		return false, fmt.Errorf("memstore: first seen %q: %w", key, err)
	}
	first := false
	err := s.write(func(tx *bolt.Tx) error {
		first = false // write may run fn again
		b := tx.Bucket(bucketDedup)
		now := s.now()
		if v := b.Get([]byte(key)); v != nil {
			if r, err := decode(v); err == nil && !r.expired(now) {
				return nil
			}
		}
		first = true
		return b.Put([]byte(key), record{expires: expiry(now, ttl)}.encode())
	})
	if err != nil {
		return false, fmt.Errorf("memstore: first seen %q: %w", key, err)
	}
	return first, nil
}

// Get implements store.Conversations.
func (s *Store) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, fmt.Errorf("memstore: get %q: %w", key, err)
	}
	var (
		val []byte
		ok  bool
	)
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketConv).Get([]byte(key))
		if v == nil {
			return nil
		}
		r, err := decode(v)
		if err != nil {
			return err
		}
		if r.expired(s.now()) {
			return nil
		}
		val, ok = append([]byte{}, r.value...), true
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("memstore: get %q: %w", key, err)
	}
	return val, ok, nil
}

// Put implements store.Conversations.
func (s *Store) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := s.checkTTL(ctx, ttl); err != nil {
		return fmt.Errorf("memstore: put %q: %w", key, err)
	}
	err := s.write(func(tx *bolt.Tx) error {
		r := record{expires: expiry(s.now(), ttl), value: value}
		return tx.Bucket(bucketConv).Put([]byte(key), r.encode())
	})
	if err != nil {
		return fmt.Errorf("memstore: put %q: %w", key, err)
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
