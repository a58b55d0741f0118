// Package storeconfig chooses and opens the store.Store that a process
// uses: Redis when a Redis URL is configured, the embedded store otherwise.
// It exists so that package store stays free of its implementations.
package storeconfig

import (
	"context"
	"errors"
	"fmt"
	"time"

	"duban/store"
	"duban/store/memstore"
	"duban/store/redisstore"
)

// Kinds of store that Open reports, for `duban serve` to log.
const (
	KindEmbedded = "embedded"
	KindRedis    = "redis"
)

// Config selects and configures the store.
type Config struct {
	// RedisURL, when set, selects Redis; see redisstore.ParseURL for the
	// forms (single node, Sentinel, Cluster).
	RedisURL string
	// DataDir is the embedded store's directory. Default: "data".
	DataDir string
	// Prefix starts every Redis key. Default: redisstore.DefaultPrefix.
	Prefix string
	// Now is the clock. Default: nil, the real time; with Redis that means
	// the server's clock for rate-limit buckets (key TTLs always run on it).
	Now func() time.Time
	// StartDown lets Open return a Redis store whose first ping failed,
	// with ErrDown joined to the error: `duban serve` then starts, reports
	// not ready and retries (Watch), so a Redis that comes up a little
	// after duban (a reboot, a short outage) does not leave the bot down.
	// A malformed URL still fails. Default: false, a ping failure fails
	// Open (one-shot commands such as `duban remind --send`).
	StartDown bool
}

// ErrDown marks the error Open returns with a usable store when
// Config.StartDown is set and Redis did not answer the first ping.
var ErrDown = errors.New("storeconfig: store not reachable yet")

// Open opens the store cfg selects and returns it with its kind
// (KindEmbedded or KindRedis). A Redis store is pinged first, so a wrong
// address or password fails here rather than at the first message; with
// StartDown the store comes back anyway, with an error matching ErrDown.
func Open(ctx context.Context, cfg Config) (store.Store, string, error) {
	if cfg.RedisURL == "" {
		s, err := memstore.Open(memstore.Config{Dir: cfg.DataDir, Now: cfg.Now})
		if err != nil {
			return nil, "", fmt.Errorf("storeconfig: %w", err)
		}
		return s, KindEmbedded, nil
	}
	s, err := redisstore.New(redisstore.Config{URL: cfg.RedisURL, Prefix: cfg.Prefix, Now: cfg.Now})
	if err != nil {
		return nil, "", fmt.Errorf("storeconfig: %w", err)
	}
	if err := s.Ping(ctx); err != nil {
		if cfg.StartDown {
			return s, KindRedis, fmt.Errorf("storeconfig: %w: %w", ErrDown, err)
		}
		s.Close()
		return nil, "", fmt.Errorf("storeconfig: %w", err)
	}
	return s, KindRedis, nil
}
