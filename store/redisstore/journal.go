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
func (s *Store) journalIDs(key string) string { return s.prefix + "{journal}:ids:" + key }

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

// AppendOnce implements store.OnceJournal: one script looks id up in the
// key's id hash and appends only when it is new. Being idempotent, it
// waits for replicas like the ledger's writes (wait_replicas): a caller
// that retries after ErrNotReplicated gets the same entry back, not a
// second one.
func (s *Store) AppendOnce(ctx context.Context, key, id string, value []byte) (int64, bool, error) {
	if key == "" || id == "" {
		return 0, false, fmt.Errorf("redisstore: append %q: empty key or id", key)
	}
	res, err := s.runDurable(ctx, appendOnceScript,
		[]string{s.journalLog(key), s.journalKeys(), s.journalIDs(key)}, value, key, id).Int64Slice()
	if err == nil && len(res) != 2 {
		err = fmt.Errorf("unexpected reply %v", res)
	}
	if err != nil {
		return 0, false, fmt.Errorf("redisstore: append %q: %w", key, err)
	}
	return res[0], res[1] == 1, nil
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
