package redisstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrNotReplicated is returned by a write that must survive a failover
// (Extras.WaitReplicas: ledger claims and confirms, the tick lock, keyed
// journal appends) when a replica the master has did not acknowledge it
// in Extras.WaitTimeout. The write itself is done on the master; a caller
// that retries an idempotent write (a confirm, an AppendOnce) makes it
// wait again. Plain Append does not wait: retrying one that did land
// would append it twice.
var ErrNotReplicated = errors.New("redisstore: write not acknowledged by enough replicas in time")

// replicasRecheck is how often a master known to have fewer replicas than
// wait_replicas is asked again (ROLE), so a replica that rejoins after a
// failover is waited for again within this long.
const replicasRecheck = time.Second

// runDurable runs script on keys (one hash slot) and, when the URL asked
// for wait_replicas, WAIT on the same connection right after it, so the
// write is on the replicas before the caller acts on it: a ledger confirm
// or a journal entry that lived only on a master lost in a failover would
// otherwise be gone after the promotion (a reminder sent twice, a report
// lost). In a pipeline the script goes as EVAL, since a NOSCRIPT reply
// could not fall back to it there.
//
// It waits for wait_replicas replicas, or for every replica the master
// has when it has fewer (unless wait_strict): right after a failover the
// promoted master has no replica until the old master rejoins, and a write
// that no replica can take cannot be lost by a promotion either, since
// there is no one to promote. Refusing writes then would stop reports and
// reminders for as long as the dead node stays down.
func (s *Store) runDurable(ctx context.Context, script *redis.Script, keys []string, args ...any) *redis.Cmd {
	if s.x.WaitReplicas <= 0 {
		return script.Run(ctx, s.client, keys, args...)
	}
	nd, addr, err := s.nodeFor(ctx, keys[0])
	if err != nil {
		cmd := redis.NewCmd(ctx)
		cmd.SetErr(err)
		return cmd
	}
	want := s.x.WaitReplicas
	if !s.x.WaitStrict {
		want = s.replicas.want(ctx, nd, addr, want)
	}
	pipe := nd.Pipeline()
	cmd := script.Eval(ctx, pipe, keys, args...)
	var wait *redis.Cmd
	if want > 0 {
		wait = pipe.Do(ctx, "WAIT", want, s.x.WaitTimeout.Milliseconds())
	}
	if _, err := pipe.Exec(ctx); err != nil && cmd.Err() == nil {
		cmd.SetErr(fmt.Errorf("wait for replicas: %w", err))
		return cmd
	}
	if cmd.Err() != nil || want == 0 {
		return cmd
	}
	n, _ := wait.Int64()
	if n >= int64(want) {
		return cmd
	}
	// Fewer acknowledged than expected: a lagging replica, or one that
	// went away. Only the first is a failure, unless strict.
	if !s.x.WaitStrict {
		has, err := s.replicas.refresh(ctx, nd, addr)
		if err == nil && n >= int64(min(has, s.x.WaitReplicas)) {
			return cmd
		}
	}
	cmd.SetErr(fmt.Errorf("%w: %d of %d replicas within %v", ErrNotReplicated, n, want, s.x.WaitTimeout))
	return cmd
}

// nodeFor returns the client of the master that holds key and its
// address: the client itself for a single node or Sentinel (address ""),
// the slot's master on a Cluster (WAIT counts the replicas of the
// connection's own node).
func (s *Store) nodeFor(ctx context.Context, key string) (node, string, error) {
	if cc, ok := s.client.(*redis.ClusterClient); ok {
		n, err := cc.MasterForKey(ctx, key)
		if err != nil {
			return nil, "", fmt.Errorf("master for %q: %w", key, err)
		}
		return n, n.Options().Addr, nil
	}
	return s.client, "", nil
}

// A node is a client of one master: a *redis.Client, or the client of a
// single node or Sentinel setup.
type node interface {
	redis.Cmdable
	Do(ctx context.Context, args ...any) *redis.Cmd
}

// replicaCounts remembers, per master address, how many replicas the
// master had connected when last asked, for masters that had fewer than
// wait_replicas. A master not listed is assumed to have enough.
type replicaCounts struct {
	mu sync.Mutex
	m  map[string]replicaCount
}

type replicaCount struct {
	n     int
	asked time.Time
}

// want returns how many replicas a write to the master at addr waits for:
// max at most, fewer while the master was last seen with fewer, asked
// again once that is replicasRecheck old.
func (c *replicaCounts) want(ctx context.Context, n node, addr string, max int) int {
	c.mu.Lock()
	rc, ok := c.m[addr]
	c.mu.Unlock()
	if !ok {
		return max
	}
	if time.Since(rc.asked) >= replicasRecheck {
		has, err := c.refresh(ctx, n, addr)
		if err != nil {
			return max
		}
		rc.n = has
	}
	return min(rc.n, max)
}

// refresh asks the master at addr for its connected replicas (ROLE) and
// remembers the count.
func (c *replicaCounts) refresh(ctx context.Context, n node, addr string) (int, error) {
	v, err := n.Do(ctx, "ROLE").Slice()
	if err != nil {
		return 0, fmt.Errorf("role: %w", err)
	}
	if len(v) < 3 || v[0] != "master" {
		return 0, fmt.Errorf("role: not a master: %v", v)
	}
	list, _ := v[2].([]any)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]replicaCount{}
	}
	c.m[addr] = replicaCount{n: len(list), asked: time.Now()}
	return len(list), nil
}
