package main

import (
	"testing"

	"duban/store/redisstore/redistest"
)

// TestFailoverSentinel kills the master of a Sentinel setup (a master, a
// replica, three sentinels; see runFailover).
func TestFailoverSentinel(t *testing.T) {
	t.Parallel()
	s := redistest.StartSentinel(t)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("Redis logs:\n%s", s.Logs(3000))
		}
	})
	runFailover(t, fTopology{name: "Sentinel", url: s.URL(), master: s.CurrentMaster})
}
