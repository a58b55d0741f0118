// Package redisstore is the store.Store that several replicas share: Redis
// through go-redis/v9's UniversalClient (single node, Sentinel or Cluster,
// chosen by the URL).
//
// Every operation is one atomic Redis command or one Lua script, so
// replicas racing for the same dedup key, ledger claim or tick lock get
// one winner. Keys that a script changes together share a hash tag, so the
// scripts also run on Redis Cluster.
//
// Key layout under Config.Prefix (default "duban:"):
//
//	dedup:<key>              "1", PX ttl
//	ledger:<key>             "c:<token>:<lock>" (claimed, PX claimTTL) or "s" (sent, PX retain or no expiry)
//	rate:<key>               the last burst send slots in µs (list), PX until the window clears
//	lock:{<name>}            the holder's fencing token, PX ttl
//	lock:{<name>}:fence      the fencing counter (INCR, no expiry)
//	conv:<key>               the value, PX ttl
//	{journal}:log:<key>      the entries (list)
//	{journal}:keys           every key with a log (set)
//	{journal}:ids:<key>      AppendOnce's ids: id → the entry's seq (hash)
package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"duban/store"
)

var (
	_ store.Store       = (*Store)(nil)
	_ store.OnceJournal = (*Store)(nil)
)

// DefaultPrefix is the key prefix when Config.Prefix is empty.
const DefaultPrefix = "duban:"

// Config configures the Redis store.
type Config struct {
	// URL addresses Redis; see ParseURL for the accepted forms. Required.
	URL string
	// Prefix starts every key, so several deployments can share one Redis.
	// Default: DefaultPrefix.
	Prefix string
	// Now is the clock for rate-limit buckets. Default: nil, which uses the
	// Redis server's clock (TIME), the one clock all replicas share. Key
	// TTLs always run on the server's clock.
	Now func() time.Time
}

// Store is the Redis store. It is safe for concurrent use.
type Store struct {
	client redis.UniversalClient
	prefix string
	now    func() time.Time
	x      Extras // the URL's store parameters

	replicas replicaCounts // masters seen with fewer replicas than x.WaitReplicas
}

// New returns a store for cfg. It does not contact the server; call Ping
// to check that it is reachable.
func New(cfg Config) (*Store, error) {
	if cfg.URL == "" {
		return nil, errors.New("redisstore: no URL")
	}
	client, x, err := newClient(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Prefix == "" {
		cfg.Prefix = DefaultPrefix
	}
	return &Store{client: client, prefix: cfg.Prefix, now: cfg.Now, x: x}, nil
}

// Client returns the underlying client, e.g. for metrics hooks.
func (s *Store) Client() redis.UniversalClient { return s.client }

// Ping implements store.Store. On a Cluster it pings every master the
// client routes to, not one node at random: a dead master's slots fail
// every command on them until the slot map follows the failover, and
// readiness must say so. A failed master ping reloads the slot map.
func (s *Store) Ping(ctx context.Context) error {
	var err error
	if c, ok := s.client.(*redis.ClusterClient); ok {
		err = c.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
			return m.Ping(ctx).Err()
		})
		if err != nil {
			c.ReloadState(ctx)
		}
	} else {
		err = s.client.Ping(ctx).Err()
	}
	if err != nil {
		return fmt.Errorf("redisstore: ping: %w", err)
	}
	return nil
}

// Close implements store.Store.
func (s *Store) Close() error {
	if err := s.client.Close(); err != nil {
		return fmt.Errorf("redisstore: close: %w", err)
	}
	return nil
}

func (s *Store) key(kind, key string) string { return s.prefix + kind + ":" + key }

// px returns ttl for a PX argument: whole milliseconds, rounded up so a
// positive ttl never becomes 0, which Redis rejects.
func px(ttl time.Duration) time.Duration {
	return (ttl + time.Millisecond - 1).Truncate(time.Millisecond)
}

// pxArg is px as the integer a script passes to PX or PEXPIRE.
func pxArg(ttl time.Duration) int64 { return px(ttl).Milliseconds() }

func checkTTL(ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("ttl %v is not positive", ttl)
	}
	return nil
}
