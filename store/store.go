// Package store declares the state that bot and scheduler share: dedup keys,
// the reminder ledger, rate-limit buckets, conversation context, the tick
// lock and the task-status journal. Two implementations exist: memstore
// (embedded, persisted with bbolt, no server) and redisstore (several
// replicas). storetest holds the one contract suite both pass.
//
// Values are []byte and strings; callers encode. Every method is safe for
// concurrent use. A missing key is never an error.
package store

import (
	"context"
	"errors"
	"time"
)

// ErrLocked is returned by Locker.Lock when another holder has the lock.
var ErrLocked = errors.New("store: locked by another holder")

// ErrNotHeld is returned by Locker.Unlock and Extend when the lock expired
// or was taken over by another holder since this token was issued.
var ErrNotHeld = errors.New("store: lock not held")

// A Deduper remembers message IDs so a platform retry is handled once.
type Deduper interface {
	// FirstSeen records key for ttl and reports whether this call recorded
	// it first (set-if-absent). A second call within ttl returns false.
	FirstSeen(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// A Ledger remembers sent reminders so each is sent exactly once.
//
// The protocol is Claim → send → Confirm, or Claim → failed send → Release.
// A claim that is neither confirmed nor released expires after its ttl, so a
// replica that dies between claim and send does not block the reminder
// forever; a confirmed key is permanent (until its retention expires).
type Ledger interface {
	// Claim takes key for claimTTL and reports whether this call took it.
	// It returns false when the key is confirmed or claimed by someone else.
	Claim(ctx context.Context, key string, claimTTL time.Duration) (bool, error)
	// Confirm marks a claimed key as sent; it is kept for retain (0: forever).
	Confirm(ctx context.Context, key string, retain time.Duration) error
	// Release forgets a claim after a failed send so the next run retries it.
	// It does not undo a confirmed key.
	Release(ctx context.Context, key string) error
	// Sent reports whether key is confirmed.
	Sent(ctx context.Context, key string) (bool, error)
}

// A Limiter is a token bucket per key (one per webhook).
type Limiter interface {
	// Reserve takes one token from the bucket key, which holds at most burst
	// tokens and refills burst tokens every per. It returns how long the
	// caller must wait before sending (0: send now). The token is taken
	// even when wait > 0, so callers that wait may send without asking again.
	Reserve(ctx context.Context, key string, burst int, per time.Duration) (wait time.Duration, err error)
}

// A Locker is a lease-based mutual exclusion lock with fencing tokens, so
// one replica runs each scheduler tick and a dead holder blocks no one after
// its ttl.
type Locker interface {
	// Lock takes name for ttl. It returns a fencing token that increases with
	// every successful Lock of name, or ErrLocked.
	Lock(ctx context.Context, name string, ttl time.Duration) (token int64, err error)
	// Extend renews a held lock for ttl, or returns ErrNotHeld.
	Extend(ctx context.Context, name string, token int64, ttl time.Duration) error
	// Unlock releases a held lock, or returns ErrNotHeld.
	Unlock(ctx context.Context, name string, token int64) error
}

// Conversations keeps per chat-and-user context for follow-up questions.
type Conversations interface {
	// Get returns the value stored under key and whether it exists.
	Get(ctx context.Context, key string) ([]byte, bool, error)
	// Put stores value under key for ttl.
	Put(ctx context.Context, key string, value []byte, ttl time.Duration) error
}

// A Journal is an append-only log per key (task status history). Entries
// are never overwritten; an undo is a new entry.
type Journal interface {
	// Append adds value to the end of key's log and returns its 1-based
	// sequence number.
	Append(ctx context.Context, key string, value []byte) (seq int64, err error)
	// List returns key's log, oldest first.
	List(ctx context.Context, key string) ([][]byte, error)
	// Keys returns every key that has a log, sorted.
	Keys(ctx context.Context) ([]string, error)
}

// A Store is everything above plus health and shutdown.
type Store interface {
	Deduper
	Ledger
	Limiter
	Locker
	Conversations
	Journal
	// Ping reports whether the store is reachable.
	Ping(ctx context.Context) error
	// Close releases the store's resources.
	Close() error
}
