package memstore

import (
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// flushChunk is the most changes one flush commit writes. A flush holds
// bbolt's single writer lock for its commit, so a large backlog is written
// in chunks that let a ledger or journal write in between: a Claim waits
// for one chunk (a few ms), not for the whole backlog.
const flushChunk = 4096

// A change is one dirty key of a table as the flush writes it: the
// encoded record, or nil to delete the key from the file.
type change struct {
	t   *table
	key string
	val []byte
}

// drain takes the table's dirty keys and returns what to write for each,
// read from memory now: a key changed twice since the last flush is
// written once, with its latest record.
func (t *table) drain() []change {
	var out []change
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		for k := range sh.dirty {
			c := change{t: t, key: k}
			if r, ok := sh.m[k]; ok {
				c.val = r.encode()
			}
			out = append(out, c)
		}
		clear(sh.dirty)
		sh.mu.Unlock()
	}
	// bbolt splits pages only at commit, so within one transaction every
	// Put into a page is an insert into one growing slice: in random order
	// that costs O(n²) copying (a million keys took minutes), in key order
	// each lands at or near the end.
	slices.SortFunc(out, func(a, b change) int { return strings.Compare(a.key, b.key) })
	return out
}

// redirty marks the keys of a failed flush dirty again, so that the next
// flush writes them (with whatever memory holds by then).
func redirty(cs []change) {
	for _, c := range cs {
		sh := c.t.shard(c.key)
		sh.mu.Lock()
		sh.dirty[c.key] = struct{}{}
		sh.mu.Unlock()
	}
}

// flush writes the dirty dedup keys and conversations to the file in
// durable commits of up to flushChunk changes. Flushes are serialised, so
// a later flush never writes an older record over a newer one.
func (s *Store) flush() error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	all := append(s.dedup.drain(), s.conv.drain()...)
	for start := 0; start < len(all); start += flushChunk {
		if err := s.db.Update(writeChanges(all[start:min(start+flushChunk, len(all))])); err != nil {
			redirty(all[start:])
			return fmt.Errorf("memstore: flush: %w", err)
		}
	}
	return nil
}

// writeChanges returns a transaction that writes cs to their buckets.
func writeChanges(cs []change) func(*bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		for _, c := range cs {
			b := tx.Bucket(c.t.bucket)
			var err error
			if c.val == nil {
				err = b.Delete([]byte(c.key))
			} else {
				err = b.Put([]byte(c.key), c.val)
			}
			if err != nil {
				return fmt.Errorf("%s %q: %w", c.t.bucket, c.key, err)
			}
		}
		return nil
	}
}

// load reads the unexpired dedup keys and conversations from the file into
// memory; Open calls it once, before anything else uses the store.
func (s *Store) load() error {
	now := s.now()
	return s.db.View(func(tx *bolt.Tx) error {
		for _, t := range []*table{s.dedup, s.conv} {
			err := tx.Bucket(t.bucket).ForEach(func(k, v []byte) error {
				r, err := decode(v)
				if err != nil || r.expired(now) {
					return nil // the next sweep deletes it from the file
				}
				r.value = append([]byte{}, r.value...) // v dies with tx
				t.load(string(k), r)
				return nil
			})
			if err != nil {
				return fmt.Errorf("memstore: load %s: %w", t.bucket, err)
			}
		}
		return nil
	})
}
