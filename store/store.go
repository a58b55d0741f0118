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

// An Owner names the holder of a ledger claim: the tick lock its run holds
// and that lock's fencing token. Tokens of one lock increase with every
// Lock, so a claim whose owner holds the same lock with a lower token
// belongs to a run that has lost the lock (it died, or its lease lapsed)
// and may be taken over at once instead of after its ttl.
type Owner struct {
	Lock  string
	Token int64
}

// A Ledger remembers sent reminders so each is sent exactly once.
//
// The protocol is Claim → (Renew while sending) → send → Confirm, or
// Claim → failed send → Release. A claim is a lease: one that is neither
// renewed, confirmed nor released expires after its ttl, so a replica that
// dies between claim and send blocks the reminder only that long (or not
// at all once a newer holder of its lock claims it); a confirmed key is
// permanent (until its retention expires).
type Ledger interface {
	// Claim takes key for ttl on behalf of owner and reports whether it
	// did. It succeeds when key is free or its claim has expired, when
	// owner already holds it, and when it is claimed under owner.Lock with
	// a lower token (a holder that lost the lock). It returns false when
	// key is confirmed or validly claimed by another owner.
	Claim(ctx context.Context, key string, owner Owner, ttl time.Duration) (bool, error)
	// Renew extends owner's claim on key for ttl, taking it again when it
	// lapsed and no one else took it. It returns ErrNotHeld when key is
	// confirmed or claimed by another owner: the caller must not send it.
	Renew(ctx context.Context, key string, owner Owner, ttl time.Duration) error
	// Confirm marks key as sent; it is kept for retain (0: forever). It
	// records the send whoever holds the claim (the message went out, and
	// sending it twice is the worse error), but returns ErrNotHeld when
	// another owner's claim was replaced, so the caller can count it.
	Confirm(ctx context.Context, key string, owner Owner, retain time.Duration) error
	// Release forgets owner's claim after a failed or abandoned send so the
	// next run retries it at once. It does not undo a confirmed key nor
	// touch another owner's claim.
	Release(ctx context.Context, key string, owner Owner) error
	// Sent reports whether key is confirmed.
	Sent(ctx context.Context, key string) (bool, error)
}

// A Limiter paces sends per key (one per webhook) as the platforms count
// them: at most burst in any window of length per.
type Limiter interface {
	// Reserve takes a send slot of key now when fewer than burst were
	// taken in the last per, and returns 0: the caller sends at once, so
	// the log holds the real send times. Otherwise it takes nothing and
	// returns how long until a slot frees up; the caller waits and asks
	// again.
	Reserve(ctx context.Context, key string, burst int, per time.Duration) (wait time.Duration, err error)
	// Block makes Reserve refuse key's slots for d from now, as if burst
	// sends had filled the window: a platform that refused for sending too
	// fast blocks its robot for a while.
	Block(ctx context.Context, key string, burst int, per, d time.Duration) error
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
	// Delete forgets key (a pending confirmation answered, a context
	// reset). Deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
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

// An OnceJournal is a Journal whose appends can be keyed by an id (the
// platform's message id of a report), so the same report delivered to
// several replicas, or retried, is one entry even when no Deduper answers.
// memstore and redisstore implement it; it is not part of Store, so that
// journals without ids (a sandbox) still satisfy Journal.
type OnceJournal interface {
	Journal
	// AppendOnce adds value to the end of key's log unless an entry with
	// id was appended to key before (by AppendOnce), and returns the
	// entry's sequence number and whether this call added it. Ids are kept
	// as long as the log; an empty id is an error.
	AppendOnce(ctx context.Context, key, id string, value []byte) (seq int64, added bool, err error)
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
