package redistest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// ClusterNodeTimeout is the cluster-node-timeout of a test Cluster: a
// master unreachable this long is failed over by its replica. Production
// clusters use 15 s; a test that kills a master wants the failover within
// seconds, and loopback never drops a packet.
const ClusterNodeTimeout = time.Second

// formTimeout bounds how long a starting Cluster or Sentinel setup may take
// to agree on its shape.
const formTimeout = 30 * time.Second

// A Cluster is a Redis Cluster on loopback: at start Masters[i] serves
// the i-th of equal slot ranges and Replicas[i] replicates it. After a
// failover the roles change; MasterOf tells who serves a key now.
type Cluster struct {
	Masters  []*Server
	Replicas []*Server
}

// StartCluster starts a Cluster of masters masters with one replica each
// for the test and stops it at the end of the test. Without a
// redis-server binary it skips tb, or fails it when CI is set.
func StartCluster(tb testing.TB, masters int) *Cluster {
	tb.Helper()
	c, err := NewCluster(masters)
	if err != nil {
		Unavailable(tb, err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// clusterArgs is the command line of a cluster node: no persistence (a
// restarted node resyncs from its master), diskless replication without
// delay, so a replica is in sync within milliseconds of joining, and
// replicas always eligible for promotion however long their link was down.
func clusterArgs(s *Server) ([]string, error) {
	return []string{
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--dir", s.dir,
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "",
		"--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0",
		"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
		"--cluster-node-timeout", strconv.FormatInt(ClusterNodeTimeout.Milliseconds(), 10),
		"--cluster-replica-validity-factor", "0",
	}, nil
}

// NewCluster starts a Cluster; the caller must Close it.
func NewCluster(masters int) (*Cluster, error) {
	if masters < 1 {
		return nil, fmt.Errorf("redistest: cluster of %d masters", masters)
	}
	nodes, err := startMany(2*masters, clusterArgs)
	if err != nil {
		return nil, err
	}
	c := &Cluster{Masters: nodes[:masters], Replicas: nodes[masters:]}
	if err := c.form(masters); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// startMany starts n servers at once (a start waits for the process to
// answer, so n in a row would take n times as long).
func startMany(n int, args func(*Server) ([]string, error)) ([]*Server, error) {
	out := make([]*Server, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { out[i], errs[i] = startServer(args) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, s := range out {
			if s != nil {
				s.Close()
			}
		}
		if errors.Is(err, ErrNotInstalled) {
			return nil, ErrNotInstalled
		}
		return nil, err
	}
	return out, nil
}

// form assigns the slots, joins the nodes and makes the replicas, then
// waits until every node sees the same healthy cluster.
func (c *Cluster) form(masters int) error {
	ctx, cancel := context.WithTimeout(context.Background(), formTimeout)
	defer cancel()
	nodes := c.Nodes()
	clients := make([]*redis.Client, len(nodes))
	for i, n := range nodes {
		clients[i] = redis.NewClient(&redis.Options{Addr: n.Addr()})
		defer clients[i].Close()
	}
	ids := make([]string, len(nodes))
	for i, cl := range clients {
		id, err := cl.Do(ctx, "CLUSTER", "MYID").Text()
		if err != nil {
			return fmt.Errorf("redistest: cluster myid of %s: %w", nodes[i].Addr(), err)
		}
		ids[i] = id
	}
	per := 16384 / masters
	for i := range masters {
		last := (i+1)*per - 1
		if i == masters-1 {
			last = 16383
		}
		if err := clients[i].Do(ctx, "CLUSTER", "ADDSLOTSRANGE", i*per, last).Err(); err != nil {
			return fmt.Errorf("redistest: cluster addslots on %s: %w", nodes[i].Addr(), err)
		}
	}
	for _, n := range nodes[1:] {
		if err := clients[0].ClusterMeet(ctx, "127.0.0.1", strconv.Itoa(n.port)).Err(); err != nil {
			return fmt.Errorf("redistest: cluster meet %s: %w", n.Addr(), err)
		}
	}
	// A replica can only follow a master it has heard of through gossip.
	for i := range masters {
		r := clients[masters+i]
		err := poll(ctx, func() error { return r.Do(ctx, "CLUSTER", "REPLICATE", ids[i]).Err() })
		if err != nil {
			return fmt.Errorf("redistest: cluster replicate %s → %s: %w", nodes[masters+i].Addr(), nodes[i].Addr(), err)
		}
	}
	return c.waitShape(ctx, clients, masters)
}

// waitShape waits until every node reports cluster_state:ok and lists
// masters masters and as many replicas, and every replica's link is up.
// Only then does a killed master have voters and a replica to promote.
func (c *Cluster) waitShape(ctx context.Context, clients []*redis.Client, masters int) error {
	for i, cl := range clients {
		err := poll(ctx, func() error {
			info, err := cl.ClusterInfo(ctx).Result()
			if err != nil {
				return err
			}
			if !strings.Contains(info, "cluster_state:ok") {
				return errors.New("cluster_state not ok")
			}
			nodes, err := cl.ClusterNodes(ctx).Result()
			if err != nil {
				return err
			}
			if m, r := strings.Count(nodes, "master"), strings.Count(nodes, "slave"); m != masters || r != masters {
				return fmt.Errorf("sees %d masters and %d replicas", m, r)
			}
			if i >= masters {
				repl, err := cl.Info(ctx, "replication").Result()
				if err != nil {
					return err
				}
				if !strings.Contains(repl, "master_link_status:up") {
					return errors.New("replica link not up")
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("redistest: cluster node %s: %w", c.Nodes()[i].Addr(), err)
		}
	}
	return nil
}

// Nodes returns every node, masters first, in start order.
func (c *Cluster) Nodes() []*Server { return append(append([]*Server{}, c.Masters...), c.Replicas...) }

// URL returns a redis+cluster:// URL that names every node.
func (c *Cluster) URL() string {
	nodes := c.Nodes()
	u := "redis+cluster://" + nodes[0].Addr()
	for i, n := range nodes[1:] {
		sep := "&"
		if i == 0 {
			sep = "?"
		}
		u += sep + "addr=" + n.Addr()
	}
	return u
}

// MasterOf returns the node that a running node says serves key's slot now.
func (c *Cluster) MasterOf(ctx context.Context, key string) (*Server, error) {
	var lastErr error = errors.New("no node running")
	for _, n := range c.Nodes() {
		if !n.Running() {
			continue
		}
		cl := redis.NewClient(&redis.Options{Addr: n.Addr(), MaxRetries: -1})
		m, err := masterOf(ctx, cl, key)
		cl.Close()
		if err != nil {
			lastErr = err
			continue
		}
		for _, s := range c.Nodes() {
			if s.Addr() == m {
				return s, nil
			}
		}
		return nil, fmt.Errorf("redistest: key %q: master %s is not a node of this cluster", key, m)
	}
	return nil, fmt.Errorf("redistest: master of %q: %w", key, lastErr)
}

func masterOf(ctx context.Context, cl *redis.Client, key string) (string, error) {
	slot, err := cl.ClusterKeySlot(ctx, key).Result()
	if err != nil {
		return "", err
	}
	slots, err := cl.ClusterSlots(ctx).Result()
	if err != nil {
		return "", err
	}
	for _, r := range slots {
		if int64(r.Start) <= slot && slot <= int64(r.End) && len(r.Nodes) > 0 {
			return r.Nodes[0].Addr, nil
		}
	}
	return "", fmt.Errorf("slot %d has no master", slot)
}

// Close kills every node and removes their data.
func (c *Cluster) Close() error {
	var errs []error
	for _, n := range c.Nodes() {
		errs = append(errs, n.Close())
	}
	return errors.Join(errs...)
}

// poll calls f every 20 ms until it succeeds or ctx ends.
func poll(ctx context.Context, f func() error) error {
	for {
		err := f()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (after %v)", err, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
