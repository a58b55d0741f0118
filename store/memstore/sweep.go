package memstore

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// loop flushes every flushEvery and sweeps every sweepEvery until Close
// (a negative period turns that duty off). Each flush also sweeps one
// shard of each table, so memory holds expired keys for at most
// nShards×flushEvery past their ttl even when full sweeps are rare.
func (s *Store) loop(flushEvery, sweepEvery time.Duration) {
	defer close(s.done)
	var flushC, sweepC <-chan time.Time
	if flushEvery > 0 {
		t := time.NewTicker(flushEvery)
		defer t.Stop()
		flushC = t.C
	}
	if sweepEvery > 0 {
		t := time.NewTicker(sweepEvery)
		defer t.Stop()
		sweepC = t.C
	}
	next := 0
	for {
		select {
		case <-s.stop:
			return
		case <-flushC:
			now := s.now()
			s.dedup.sweep(next, now)
			s.conv.sweep(next, now)
			next = (next + 1) % nShards
			// A failed flush keeps its keys dirty and the next tick tries
			// again; Close reports the final one.
			_ = s.flush()
		case <-sweepC:
			// A failed sweep leaves expired records that reads already
			// ignore; the next tick tries again.
			_ = s.Sweep(context.Background())
		}
	}
}

// Sweep deletes expired dedup keys, ledger claims and conversations from
// memory and disk and expired buckets and leases from memory. It flushes
// the dedup keys and conversations changed in memory on the way.
func (s *Store) Sweep(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: sweep: %w", err)
	}
	now := s.now()
	s.dedup.sweepAll(now)
	s.conv.sweepAll(now)
	if err := s.flush(); err != nil {
		return fmt.Errorf("memstore: sweep: %w", err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketDedup, bucketLedger, bucketConv} {
			if err := sweepBucket(tx.Bucket(name), now); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("memstore: sweep: %w", err)
	}
	s.mu.Lock()
	for k, slots := range s.buckets {
		// A window never outlasts a day (the platforms count per minute).
		if len(slots) == 0 || !slots[len(slots)-1].Add(24*time.Hour).After(now) {
			delete(s.buckets, k)
		}
	}
	s.mu.Unlock()
	s.lockMu.Lock()
	for k, l := range s.leases {
		if !l.expires.After(now) {
			delete(s.leases, k)
		}
	}
	s.lockMu.Unlock()
	return nil
}

// sweepBucket deletes the records of b whose expiry has passed. Every
// record of the swept buckets starts with its expiry (see record.go).
func sweepBucket(b *bolt.Bucket, now time.Time) error {
	var dead [][]byte
	err := b.ForEach(func(k, v []byte) error {
		if r, err := decode(v); err != nil || r.expired(now) {
			dead = append(dead, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range dead {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
