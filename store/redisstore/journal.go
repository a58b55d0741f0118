package redisstore

import (
	"context"
	"fmt"
	"slices"
)

// The journal's keys share the hash tag {journal}, so the append script's
// list and key set live in one Cluster slot. The journal is small (task
// status history), so one slot holds it comfortably.

func (s *Store) journalLog(key string) string { return s.prefix + "{journal}:log:" + key }
func (s *Store) journalKeys() string          { return s.prefix + "{journal}:keys" }

// Append implements store.Journal: RPUSH and SADD in one script; the list
// length RPUSH returns is the sequence number.
func (s *Store) Append(ctx context.Context, key string, value []byte) (int64, error) {
	if key == "" {
		return 0, fmt.Errorf("redisstore: append: empty key")
	}
	seq, err := appendScript.Run(ctx, s.client,
		[]string{s.journalLog(key), s.journalKeys()}, value, key).Int64()
	if err != nil {
		return 0, fmt.Errorf("redisstore: append %q: %w", key, err)
	}
	return seq, nil
}

// List implements store.Journal.
func (s *Store) List(ctx context.Context, key string) ([][]byte, error) {
	vals, err := s.client.LRange(ctx, s.journalLog(key), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: list %q: %w", key, err)
	}
	out := make([][]byte, len(vals))
	for i, v := range vals {
		out[i] = []byte(v)
	}
	return out, nil
}

// Keys implements store.Journal.
func (s *Store) Keys(ctx context.Context) ([]string, error) {
	keys, err := s.client.SMembers(ctx, s.journalKeys()).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: keys: %w", err)
	}
	slices.Sort(keys)
	return keys, nil
}
