package memstore

import (
	"hash/maphash"
	"sync"
	"time"
)

// nShards is how many independently locked parts a table has. Inbound
// requests touch a dedup key and a conversation each, from as many
// goroutines as MaxInFlight allows; 32 locks keep them from queueing on
// one another at any core count this bot runs on.
const nShards = 32

// A table holds the dedup keys or the conversations in memory. Reads and
// writes never touch the file: the flusher writes the keys marked dirty
// to the table's bbolt bucket later, in one commit with every other dirty
// key (see flush.go).
type table struct {
	bucket []byte // the bbolt bucket this table persists to
	seed   maphash.Seed
	shards [nShards]shard
}

// A shard is one locked part of a table.
type shard struct {
	mu sync.Mutex
	m  map[string]record
	// dirty holds the keys changed since the last flush, including keys
	// swept from m: the flush writes the first and deletes the second, so
	// a swept key cannot come back from an older copy on disk.
	dirty  map[string]struct{}
	closed bool // set by Close before its final flush
}

func newTable(bucket []byte) *table {
	t := &table{bucket: bucket, seed: maphash.MakeSeed()}
	for i := range t.shards {
		t.shards[i].m = make(map[string]record)
		t.shards[i].dirty = make(map[string]struct{})
	}
	return t
}

func (t *table) shard(key string) *shard {
	return &t.shards[maphash.String(t.seed, key)%nShards]
}

// firstSeen records key until now+ttl unless an unexpired record holds it,
// and reports whether it recorded it.
func (t *table) firstSeen(key string, now time.Time, ttl time.Duration) (bool, error) {
	sh := t.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.closed {
		return false, errClosed
	}
	if r, ok := sh.m[key]; ok && !r.expired(now) {
		return false, nil
	}
	sh.m[key] = record{expires: expiry(now, ttl)}
	sh.dirty[key] = struct{}{}
	return true, nil
}

// get returns a copy of key's unexpired value.
func (t *table) get(key string, now time.Time) ([]byte, bool, error) {
	sh := t.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.closed {
		return nil, false, errClosed
	}
	r, ok := sh.m[key]
	if !ok || r.expired(now) {
		return nil, false, nil
	}
	return append([]byte{}, r.value...), true, nil
}

// put stores a copy of value under key until now+ttl.
func (t *table) put(key string, value []byte, now time.Time, ttl time.Duration) error {
	r := record{expires: expiry(now, ttl), value: append([]byte{}, value...)}
	sh := t.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.closed {
		return errClosed
	}
	sh.m[key] = r
	sh.dirty[key] = struct{}{}
	return nil
}

// del deletes key; the flush deletes it from the file too, so it cannot
// come back at the next Open.
func (t *table) del(key string) error {
	sh := t.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.closed {
		return errClosed
	}
	delete(sh.m, key)
	sh.dirty[key] = struct{}{}
	return nil
}

// load adds a record read from the file at Open; it is not dirty.
func (t *table) load(key string, r record) {
	sh := t.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.m[key] = r
}

// sweep deletes shard i's expired records from memory and marks them
// dirty, so the next flush deletes them from the file too.
func (t *table) sweep(i int, now time.Time) {
	sh := &t.shards[i]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for k, r := range sh.m {
		if r.expired(now) {
			delete(sh.m, k)
			sh.dirty[k] = struct{}{}
		}
	}
}

// sweepAll sweeps every shard.
func (t *table) sweepAll(now time.Time) {
	for i := range t.shards {
		t.sweep(i, now)
	}
}

// len returns how many records the table holds, expired or not.
func (t *table) len() int {
	n := 0
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		n += len(sh.m)
		sh.mu.Unlock()
	}
	return n
}

// close makes every later call fail with errClosed. Calls that got in
// before it have changed the table and are written by the final flush.
func (t *table) close() {
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		sh.closed = true
		sh.mu.Unlock()
	}
}
