package main

import (
	"context"
	"testing"

	"duban/store/redisstore/redistest"
)

// TestFailoverCluster kills the master of the journal's slot of a Cluster
// of three masters with a replica each (see runFailover).
func TestFailoverCluster(t *testing.T) {
	t.Parallel()
	c := redistest.StartCluster(t, 3)
	runFailover(t, fTopology{name: "Cluster", url: c.URL(), master: func(ctx context.Context) (*redistest.Server, error) {
		// serve's journal lives under the default prefix, in slot {journal}.
		return c.MasterOf(ctx, "duban:{journal}:keys")
	}})
}
