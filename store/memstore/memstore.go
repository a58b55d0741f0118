// Package memstore is the embedded store.Store: no server, one process,
// persisted with bbolt in a file under a data directory.
//
// A restart (Close, then Open of the same directory) keeps the reminder
// ledger, the journal, the lock fencing counters, unexpired dedup keys and
// unexpired conversation context.
//
// # Durability
//
// Every change to the ledger, the journal and the fencing counters is
// committed to the file, fsync included, before the call returns: those are
// the "never lose or repeat a reminder" and "history survives restarts"
// guarantees.
//
// Dedup keys and conversation context are held in memory and written to
// the file in the background, every Config.FlushEvery in one commit, and
// once more by Close; Open reads them back into memory. Each inbound
// message touches both, and two fsyncs per message would cost
// milliseconds where memory answers in about a microsecond. Both live for
// minutes, so the trade is cheap: a crash (a kill, not Close) loses the
// dedup keys and conversation turns of its last flush interval. After such
// a crash a platform retry of a message answered within that interval may
// be answered again, and a follow-up question may lose its context; no
// reminder and no journal entry is lost.
//
// # In memory only
//
// Rate-limit buckets and lock leases live in memory only: every holder of
// a lease and every caller waiting on a bucket is a goroutine of this
// process, so a restart leaves no holder to exclude, and writing each
// Reserve through to disk would cost an fsync per outgoing message to save
// at most one burst after a restart.
//
// bbolt takes an exclusive file lock, so a second process opening the same
// directory fails after Config.OpenTimeout instead of sharing it: several
// replicas need redisstore.
package memstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban/store"
)

var (
	_ store.Store       = (*Store)(nil)
	_ store.OnceJournal = (*Store)(nil)
)

// FileName is the name of the database file inside Config.Dir.
const FileName = "duban.db"

// Config configures the embedded store. The zero value is usable.
type Config struct {
	// Dir is the data directory, created if missing. Default: "data".
	Dir string
	// Now is the clock for every TTL, lease and bucket. Default: time.Now.
	Now func() time.Time
	// OpenTimeout bounds the wait for the file lock that another process
	// holding Dir keeps. Default: 1 second.
	OpenTimeout time.Duration
	// BatchDelay is how long a durable write (ledger, journal) waits for
	// concurrent writes to share its commit, so that they pay for one fsync
	// between them (bbolt's Batch). It adds that much latency to a lone
	// write. Dedup keys and conversations do not wait: see FlushEvery.
	// Default: 1 ms; negative: every write commits alone.
	BatchDelay time.Duration
	// SweepEvery is how often expired dedup keys, claims and conversations
	// are deleted from memory and disk (they are ignored once expired
	// either way; each flush also sweeps a 1/32 slice of memory).
	// Default: 10 minutes; negative: only at Open.
	SweepEvery time.Duration
	// FlushEvery is how often dedup keys and conversations changed in
	// memory are written to the file, together in one commit (several for
	// a backlog over 4096 keys). It is also how much of them a crash can
	// lose; Close always flushes. Default: 1 second; negative: only Sweep
	// and Close flush.
	FlushEvery time.Duration
}

// Bucket names in the bbolt file.
var (
	bucketDedup   = []byte("dedup")
	bucketLedger  = []byte("ledger")
	bucketConv    = []byte("conv")
	bucketJournal = []byte("journal")
	bucketOnce    = []byte("journal_ids") // per key: id → 8-byte seq
	bucketFence   = []byte("fence")
)

// Store is the embedded store. It is safe for concurrent use.
type Store struct {
	db    *bolt.DB
	now   func() time.Time
	batch bool // write with db.Batch

	mu      sync.Mutex             // guards buckets
	buckets map[string][]time.Time // send slots per key, oldest first, at most burst

	lockMu sync.Mutex // guards leases; held across the fence write
	leases map[string]lease

	dedup   *table     // dedup keys, flushed to bucketDedup
	conv    *table     // conversations, flushed to bucketConv
	flushMu sync.Mutex // serialises flushes

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// Open opens (or creates) the store in cfg.Dir.
func Open(cfg Config) (*Store, error) {
	if cfg.Dir == "" {
		cfg.Dir = "data"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.OpenTimeout == 0 {
		cfg.OpenTimeout = time.Second
	}
	if cfg.BatchDelay == 0 {
		cfg.BatchDelay = time.Millisecond
	}
	if cfg.SweepEvery == 0 {
		cfg.SweepEvery = 10 * time.Minute
	}
	if cfg.FlushEvery == 0 {
		cfg.FlushEvery = time.Second
	}
	if err := os.MkdirAll(cfg.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("memstore: open: %w", err)
	}
	path := filepath.Join(cfg.Dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: cfg.OpenTimeout})
	if err != nil {
		return nil, fmt.Errorf("memstore: open %s: %w", path, err)
	}
	db.MaxBatchDelay = max(cfg.BatchDelay, 0)
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketDedup, bucketLedger, bucketConv, bucketJournal, bucketOnce, bucketFence} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("memstore: open %s: create buckets: %w", path, err)
	}
	s := &Store{
		db:      db,
		now:     cfg.Now,
		batch:   cfg.BatchDelay > 0,
		buckets: make(map[string][]time.Time),
		leases:  make(map[string]lease),
		dedup:   newTable(bucketDedup),
		conv:    newTable(bucketConv),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	if err := s.Sweep(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.load(); err != nil {
		db.Close()
		return nil, err
	}
	go s.loop(cfg.FlushEvery, cfg.SweepEvery)
	return s, nil
}

// write runs fn in a read-write transaction. With batching, fn may share
// its transaction with other writes and may run more than once (bbolt
// retries the others alone when one fails), so fn must set its results
// from scratch on each run.
func (s *Store) write(fn func(*bolt.Tx) error) error {
	if s.batch {
		return s.db.Batch(fn)
	}
	return s.db.Update(fn)
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.db.Path() }

// Ping reports an error once the store is closed.
func (s *Store) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: ping: %w", err)
	}
	if err := s.db.View(func(*bolt.Tx) error { return nil }); err != nil {
		return fmt.Errorf("memstore: ping: %w", err)
	}
	return nil
}

// Close stops the background flusher and sweeper, writes the dedup keys
// and conversations changed since the last flush, and closes the file.
// Later calls return nil.
func (s *Store) Close() error {
	var err error
	s.once.Do(func() {
		close(s.stop)
		<-s.done
		s.dedup.close()
		s.conv.close()
		ferr := s.flush()
		if cerr := s.db.Close(); cerr != nil {
			cerr = fmt.Errorf("memstore: close: %w", cerr)
			ferr = errors.Join(ferr, cerr)
		}
		err = ferr
	})
	return err
}

// errClosed is returned by in-memory operations after Close.
var errClosed = errors.New("store closed")

func (s *Store) checkOpen(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case <-s.stop:
		return errClosed
	default:
		return nil
	}
}
