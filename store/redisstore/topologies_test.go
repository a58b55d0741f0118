package redisstore

import (
	"sync"
	"testing"
	"time"

	"duban/store/redisstore/redistest"
	"duban/store/storetest"
)

// The contract suite and the benchmarks also run on a real Redis Cluster
// (three masters, a replica each) and a real Sentinel setup (a master, a
// replica, three sentinels) on loopback. Each is started once per test
// binary, by the first test that needs it, and shared under fresh key
// prefixes like the single server.
var topologies struct {
	clusterOnce, sentinelOnce sync.Once
	cluster                   *redistest.Cluster
	sentinel                  *redistest.Sentinel
	clusterErr, sentinelErr   error
}

// clusterURL returns the shared Cluster's URL with query (starting with
// "&"), or skips t when redis-server is missing outside CI.
func clusterURL(t testing.TB, query string) string {
	t.Helper()
	topologies.clusterOnce.Do(func() { topologies.cluster, topologies.clusterErr = redistest.NewCluster(3) })
	if topologies.cluster == nil {
		redistest.Unavailable(t, topologies.clusterErr)
	}
	return topologies.cluster.URL() + query
}

// sentinelURL is clusterURL for the shared Sentinel setup.
func sentinelURL(t testing.TB, query string) string {
	t.Helper()
	topologies.sentinelOnce.Do(func() { topologies.sentinel, topologies.sentinelErr = redistest.NewSentinel() })
	if topologies.sentinel == nil {
		redistest.Unavailable(t, topologies.sentinelErr)
	}
	return topologies.sentinel.URL() + query
}

func closeTopologies() {
	if topologies.cluster != nil {
		topologies.cluster.Close()
	}
	if topologies.sentinel != nil {
		topologies.sentinel.Close()
	}
}

// waitOne makes the must-survive writes wait for the one replica each
// master has, as a deployment with replicas should configure.
const waitOne = "&wait_replicas=1&wait_timeout=1s"

// TestContractCluster runs the contract suite on the Cluster, with writes
// waiting for a replica: every multi-key script's keys share a slot (a
// CROSSSLOT error would fail it) and WAIT runs on the slot's master.
func TestContractCluster(t *testing.T) {
	t.Parallel()
	url := clusterURL(t, waitOne)
	runContract(t, url)
}

// TestContractSentinel runs the contract suite through the sentinels.
func TestContractSentinel(t *testing.T) {
	t.Parallel()
	url := sentinelURL(t, waitOne)
	runContract(t, url)
}

func runContract(t *testing.T, url string) {
	storetest.Run(t, func(t *testing.T) storetest.Harness {
		clock := storetest.NewFakeClock(epoch)
		s := newStoreAt(t, url, clock.Now)
		return storetest.Harness{Store: s, Advance: func(d time.Duration) {
			clock.Advance(d)
			if err := warp(t.Context(), s, d); err != nil {
				t.Fatalf("warp %v: %v", d, err)
			}
		}}
	})
}

// BenchmarkTopology measures every store operation on each topology, with
// and without waiting for a replica; scripts/bench.sh tabulates it.
func BenchmarkTopology(b *testing.B) {
	cases := []struct {
		name string
		url  func(b *testing.B) string
	}{
		{"single", func(b *testing.B) string { return server(b).URL() }},
		{"sentinel", func(b *testing.B) string { return sentinelURL(b, "") }},
		{"sentinel+wait", func(b *testing.B) string { return sentinelURL(b, waitOne) }},
		{"cluster", func(b *testing.B) string { return clusterURL(b, "") }},
		{"cluster+wait", func(b *testing.B) string { return clusterURL(b, waitOne) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			storetest.Bench(b, newStoreAt(b, c.url(b), nil))
		})
	}
}
