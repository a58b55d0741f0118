// Package storeconfig chooses and opens the store.Store that a process
// uses: Redis when a Redis URL is configured, the embedded store otherwise.
// It exists so that package store stays free of its implementations.
package storeconfig

import (
	"context"
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
}

// Open opens the store cfg selects and returns it with its kind
// (KindEmbedded or KindRedis). A Redis store is pinged first, so a wrong
// address or password fails here rather than at the first message.
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
		s.Close()
		return nil, "", fmt.Errorf("storeconfig: %w", err)
	}
	return s, KindRedis, nil
}
