package memstore

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Claim implements store.Ledger.
func (s *Store) Claim(ctx context.Context, key string, claimTTL time.Duration) (bool, error) {
	if err := s.checkTTL(ctx, claimTTL); err != nil {
		return false, fmt.Errorf("memstore: claim %q: %w", key, err)
	}
	took := false
	err := s.write(func(tx *bolt.Tx) error {
		took = false // write may run fn again
		b := tx.Bucket(bucketLedger)
		now := s.now()
		if v := b.Get([]byte(key)); v != nil {
			r, err := decode(v)
			if err != nil {
				return err
			}
			if !r.expired(now) {
				return nil
			}
		}
		took = true
		r := record{expires: expiry(now, claimTTL), state: stateClaimed}
		return b.Put([]byte(key), r.encode())
	})
	if err != nil {
		return false, fmt.Errorf("memstore: claim %q: %w", key, err)
	}
	return took, nil
}

// Confirm implements store.Ledger. It records the send even when the claim
// has expired meanwhile: the message went out, and sending it twice is the
// worse error.
func (s *Store) Confirm(ctx context.Context, key string, retain time.Duration) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: confirm %q: %w", key, err)
	}
	if retain < 0 {
		return fmt.Errorf("memstore: confirm %q: negative retention %v", key, retain)
	}
	err := s.write(func(tx *bolt.Tx) error {
		r := record{expires: expiry(s.now(), retain), state: stateSent}
		return tx.Bucket(bucketLedger).Put([]byte(key), r.encode())
	})
	if err != nil {
		return fmt.Errorf("memstore: confirm %q: %w", key, err)
	}
	return nil
}

// Release implements store.Ledger.
func (s *Store) Release(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: release %q: %w", key, err)
	}
	err := s.write(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLedger)
		v := b.Get([]byte(key))
		if v == nil {
			return nil
		}
		if r, err := decode(v); err == nil && r.state == stateSent {
			return nil
		}
		return b.Delete([]byte(key))
	})
	if err != nil {
		return fmt.Errorf("memstore: release %q: %w", key, err)
	}
	return nil
}

// Sent implements store.Ledger.
func (s *Store) Sent(ctx context.Context, key string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("memstore: sent %q: %w", key, err)
	}
	sent := false
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketLedger).Get([]byte(key))
		if v == nil {
			return nil
		}
		r, err := decode(v)
		if err != nil {
			return err
		}
		sent = r.state == stateSent && !r.expired(s.now())
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("memstore: sent %q: %w", key, err)
	}
	return sent, nil
}
