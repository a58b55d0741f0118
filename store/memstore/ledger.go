package memstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban/store"
)

// A claim record's value is its owner: the 8-byte big-endian token, then
// the lock name.
func encodeOwner(o store.Owner) []byte {
	return append(binary.BigEndian.AppendUint64(nil, uint64(o.Token)), o.Lock...)
}

func decodeOwner(v []byte) store.Owner {
	if len(v) < 8 {
		return store.Owner{}
	}
	return store.Owner{Token: int64(binary.BigEndian.Uint64(v)), Lock: string(v[8:])}
}

// claimState classifies key's record for owner at now.
type claimState int

const (
	claimFree  claimState = iota // absent, expired, or held by a stale holder of owner's lock
	claimOwn                     // owner holds it
	claimOther                   // another owner holds it validly
	claimSent                    // confirmed
)

func stateOf(v []byte, owner store.Owner, now time.Time) (claimState, error) {
	if v == nil {
		return claimFree, nil
	}
	r, err := decode(v)
	if err != nil {
		return 0, err
	}
	if r.expired(now) {
		return claimFree, nil
	}
	if r.state == stateSent {
		return claimSent, nil
	}
	switch h := decodeOwner(r.value); {
	case h == owner:
		return claimOwn, nil
	case h.Lock == owner.Lock && h.Token < owner.Token:
		return claimFree, nil // its holder lost the lock that owner holds now
	}
	return claimOther, nil
}

// Claim implements store.Ledger.
func (s *Store) Claim(ctx context.Context, key string, owner store.Owner, claimTTL time.Duration) (bool, error) {
	if err := s.checkTTL(ctx, claimTTL); err != nil {
		return false, fmt.Errorf("memstore: claim %q: %w", key, err)
	}
	took := false
	err := s.write(func(tx *bolt.Tx) error {
		took = false // write may run fn again
		b := tx.Bucket(bucketLedger)
		now := s.now()
		st, err := stateOf(b.Get([]byte(key)), owner, now)
		if err != nil || st == claimOther || st == claimSent {
			return err
		}
		took = true
		r := record{expires: expiry(now, claimTTL), state: stateClaimed, value: encodeOwner(owner)}
		return b.Put([]byte(key), r.encode())
	})
	if err != nil {
		return false, fmt.Errorf("memstore: claim %q: %w", key, err)
	}
	return took, nil
}

// Renew implements store.Ledger.
func (s *Store) Renew(ctx context.Context, key string, owner store.Owner, claimTTL time.Duration) error {
	ok, err := s.Claim(ctx, key, owner, claimTTL)
	if err != nil {
		return fmt.Errorf("memstore: renew: %w", err)
	}
	if !ok {
		return fmt.Errorf("memstore: renew %q: %w", key, store.ErrNotHeld)
	}
	return nil
}

// Confirm implements store.Ledger.
func (s *Store) Confirm(ctx context.Context, key string, owner store.Owner, retain time.Duration) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: confirm %q: %w", key, err)
	}
	if retain < 0 {
		return fmt.Errorf("memstore: confirm %q: negative retention %v", key, retain)
	}
	fenced := false
	err := s.write(func(tx *bolt.Tx) error {
		fenced = false
		b := tx.Bucket(bucketLedger)
		now := s.now()
		st, err := stateOf(b.Get([]byte(key)), owner, now)
		if err != nil {
			return err
		}
		if st == claimSent {
			return nil // keep the first confirm's retention
		}
		fenced = st == claimOther
		r := record{expires: expiry(now, retain), state: stateSent}
		return b.Put([]byte(key), r.encode())
	})
	if err != nil {
		return fmt.Errorf("memstore: confirm %q: %w", key, err)
	}
	if fenced {
		return fmt.Errorf("memstore: confirm %q: claimed by another holder: %w", key, store.ErrNotHeld)
	}
	return nil
}

// Release implements store.Ledger.
func (s *Store) Release(ctx context.Context, key string, owner store.Owner) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: release %q: %w", key, err)
	}
	err := s.write(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLedger)
		st, err := stateOf(b.Get([]byte(key)), owner, s.now())
		if err != nil || st != claimOwn {
			return err
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
