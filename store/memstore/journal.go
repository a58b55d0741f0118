package memstore

import (
	"context"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The journal bucket holds one nested bucket per key; entries are keyed by
// their 8-byte big-endian sequence number, so bbolt's byte order is the
// append order and its sorted top-level keys are Keys' order.

// Append implements store.Journal.
func (s *Store) Append(ctx context.Context, key string, value []byte) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("memstore: append %q: %w", key, err)
	}
	if key == "" {
		return 0, fmt.Errorf("memstore: append: empty key")
	}
	var seq uint64
	err := s.write(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bucketJournal).CreateBucketIfNotExists([]byte(key))
		if err != nil {
			return err
		}
		if seq, err = b.NextSequence(); err != nil {
			return err
		}
		return b.Put(binary.BigEndian.AppendUint64(nil, seq), value)
	})
	if err != nil {
		return 0, fmt.Errorf("memstore: append %q: %w", key, err)
	}
	return int64(seq), nil
}

// AppendOnce implements store.OnceJournal: the id and the entry are
// written in one transaction, ids in a bucket beside the journal's (so
// List never sees them).
func (s *Store) AppendOnce(ctx context.Context, key, id string, value []byte) (int64, bool, error) {
	if err := ctx.Err(); err != nil {
		return 0, false, fmt.Errorf("memstore: append %q: %w", key, err)
	}
	if key == "" || id == "" {
		return 0, false, fmt.Errorf("memstore: append %q: empty key or id", key)
	}
	var seq uint64
	var added bool
	err := s.write(func(tx *bolt.Tx) error {
		seq, added = 0, false // Batch may run fn again
		ids, err := tx.Bucket(bucketOnce).CreateBucketIfNotExists([]byte(key))
		if err != nil {
			return err
		}
		if v := ids.Get([]byte(id)); len(v) == 8 {
			seq = binary.BigEndian.Uint64(v)
			return nil
		}
		b, err := tx.Bucket(bucketJournal).CreateBucketIfNotExists([]byte(key))
		if err != nil {
			return err
		}
		if seq, err = b.NextSequence(); err != nil {
			return err
		}
		k := binary.BigEndian.AppendUint64(nil, seq)
		if err := b.Put(k, value); err != nil {
			return err
		}
		added = true
		return ids.Put([]byte(id), k)
	})
	if err != nil {
		return 0, false, fmt.Errorf("memstore: append %q: %w", key, err)
	}
	return int64(seq), added, nil
}

// List implements store.Journal.
func (s *Store) List(ctx context.Context, key string) ([][]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: list %q: %w", key, err)
	}
	var out [][]byte
	err := s.db.View(func(tx *bolt.Tx) error {
		if key == "" {
			return nil
		}
		b := tx.Bucket(bucketJournal).Bucket([]byte(key))
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			out = append(out, append([]byte{}, v...))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("memstore: list %q: %w", key, err)
	}
	return out, nil
}

// Keys implements store.Journal.
func (s *Store) Keys(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: keys: %w", err)
	}
	var out []string
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketJournal).ForEachBucket(func(k []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("memstore: keys: %w", err)
	}
	return out, nil
}
