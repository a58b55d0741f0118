package redisstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"duban/store/redisstore/redistest"
)

// shared is the redis-server that most tests use, each under its own key
// prefix; nil when redis-server is missing outside CI.
var (
	shared    *redistest.Server
	sharedErr error
)

func TestMain(m *testing.M) {
	shared, sharedErr = redistest.StartServer()
	if sharedErr != nil && (os.Getenv("CI") != "" || !errors.Is(sharedErr, redistest.ErrNotInstalled)) {
		fmt.Fprintf(os.Stderr, "redisstore tests need a redis-server: %v\n", sharedErr)
		os.Exit(1)
	}
	code := m.Run()
	if shared != nil {
		shared.Close()
	}
	closeTopologies()
	os.Exit(code)
}

// server returns the shared server, or skips t when there is none.
func server(t testing.TB) *redistest.Server {
	t.Helper()
	if shared == nil {
		redistest.Unavailable(t, sharedErr)
	}
	return shared
}

var prefixes atomic.Int64

// newStore returns a store on the shared server under a fresh prefix.
func newStore(t testing.TB, now func() time.Time) *Store {
	t.Helper()
	return newStoreAt(t, server(t).URL(), now)
}

// newStoreAt returns a store on the Redis at url under a fresh prefix.
func newStoreAt(t testing.TB, url string, now func() time.Time) *Store {
	t.Helper()
	s, err := New(Config{
		URL:    url,
		Prefix: "test" + strconv.FormatInt(prefixes.Add(1), 10) + ":",
		Now:    now,
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// warp makes the server behave as if d had passed for every key under
// s's prefix: keys whose TTL is at most d are deleted, the others' TTLs
// shortened by d (the PEXPIRE semantics Redis itself applies as time
// passes). Keys without a TTL are left alone.
func warp(ctx context.Context, s *Store, d time.Duration) error {
	if c, ok := s.client.(*redis.ClusterClient); ok {
		// A SCAN sees one node's keys: scan every master.
		return c.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
			return warpNode(ctx, s, m, d)
		})
	}
	return warpNode(ctx, s, s.client, d)
}

// warpNode is warp for the keys that node holds; TTLs are read and set
// through the store's client, which routes each key to its master.
func warpNode(ctx context.Context, s *Store, node redis.Cmdable, d time.Duration) error {
	iter := node.Scan(ctx, 0, s.prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		k := iter.Val()
		ttl, err := s.client.PTTL(ctx, k).Result()
		if err != nil {
			return err
		}
		switch {
		case ttl < 0: // -1: no expiry, -2: gone meanwhile
		case ttl <= d:
			err = s.client.Del(ctx, k).Err()
		default:
			err = s.client.PExpire(ctx, k, ttl-d).Err()
		}
		if err != nil {
			return err
		}
	}
	return iter.Err()
}
