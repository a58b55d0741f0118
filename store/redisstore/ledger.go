package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"duban/store"
)

// A ledger key holds "s" once sent, or "c:<token>:<lock>" while claimed:
// the owner's fencing token and lock name, so that a newer holder of the
// same lock can take the claim over (see store.Owner). Each operation is
// one script on one key, so it runs on Redis Cluster too.

func ownerArgs(o store.Owner) []any { return []any{strconv.FormatInt(o.Token, 10), o.Lock} }

// Claim implements store.Ledger.
func (s *Store) Claim(ctx context.Context, key string, owner store.Owner, claimTTL time.Duration) (bool, error) {
	if err := checkTTL(claimTTL); err != nil {
		return false, fmt.Errorf("redisstore: claim %q: %w", key, err)
	}
	n, err := s.runDurable(ctx, claimScript, []string{s.key("ledger", key)},
		append(ownerArgs(owner), pxArg(claimTTL))...).Int64()
	if err != nil {
		return false, fmt.Errorf("redisstore: claim %q: %w", key, err)
	}
	return n == 1, nil
}

// Renew implements store.Ledger: Claim, with a refusal as ErrNotHeld.
func (s *Store) Renew(ctx context.Context, key string, owner store.Owner, claimTTL time.Duration) error {
	ok, err := s.Claim(ctx, key, owner, claimTTL)
	if err != nil {
		return fmt.Errorf("redisstore: renew: %w", err)
	}
	if !ok {
		return fmt.Errorf("redisstore: renew %q: %w", key, store.ErrNotHeld)
	}
	return nil
}

// Confirm implements store.Ledger.
func (s *Store) Confirm(ctx context.Context, key string, owner store.Owner, retain time.Duration) error {
	if retain < 0 {
		return fmt.Errorf("redisstore: confirm %q: negative retention %v", key, retain)
	}
	n, err := s.runDurable(ctx, confirmScript, []string{s.key("ledger", key)},
		append(ownerArgs(owner), pxArg(retain))...).Int64()
	if err != nil {
		return fmt.Errorf("redisstore: confirm %q: %w", key, err)
	}
	if n == 2 {
		return fmt.Errorf("redisstore: confirm %q: claimed by another holder: %w", key, store.ErrNotHeld)
	}
	return nil
}

// Release implements store.Ledger: only owner's claim is deleted.
func (s *Store) Release(ctx context.Context, key string, owner store.Owner) error {
	err := releaseScript.Run(ctx, s.client, []string{s.key("ledger", key)}, ownerArgs(owner)...).Err()
	if err != nil {
		return fmt.Errorf("redisstore: release %q: %w", key, err)
	}
	return nil
}
