package redisstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// ErrNotReplicated is returned by a write that must survive a failover
// (Extras.WaitReplicas: ledger claims and confirms, the tick lock) when
// fewer replicas than asked acknowledged it in Extras.WaitTimeout. The
// write itself is done on the master; a caller that retries an idempotent
// write (a confirm, an AppendOnce) makes it wait again. Plain Append does
// not wait: retrying one that did land would append it twice.
var ErrNotReplicated = errors.New("redisstore: write not acknowledged by enough replicas in time")

// runDurable runs script on keys (one hash slot) and, when the URL asked
// for wait_replicas, WAIT on the same connection right after it, so the
// write is on that many replicas before the caller acts on it: a ledger
// confirm or a journal entry that lived only on a master lost in a
// failover would otherwise be gone after the promotion (a reminder sent
// twice, a report lost). In a pipeline the script goes as EVAL, since a
// NOSCRIPT reply could not fall back to it there.
func (s *Store) runDurable(ctx context.Context, script *redis.Script, keys []string, args ...any) *redis.Cmd {
	if s.x.WaitReplicas <= 0 {
		return script.Run(ctx, s.client, keys, args...)
	}
	node, err := s.nodeFor(ctx, keys[0])
	if err != nil {
		cmd := redis.NewCmd(ctx)
		cmd.SetErr(err)
		return cmd
	}
	pipe := node.Pipeline()
	cmd := script.Eval(ctx, pipe, keys, args...)
	wait := pipe.Do(ctx, "WAIT", s.x.WaitReplicas, s.x.WaitTimeout.Milliseconds())
	if _, err := pipe.Exec(ctx); err != nil && cmd.Err() == nil {
		cmd.SetErr(fmt.Errorf("wait for replicas: %w", err))
		return cmd
	}
	if n, _ := wait.Int64(); cmd.Err() == nil && n < int64(s.x.WaitReplicas) {
		cmd.SetErr(fmt.Errorf("%w: %d of %d replicas within %v", ErrNotReplicated, n, s.x.WaitReplicas, s.x.WaitTimeout))
	}
	return cmd
}

// nodeFor returns the client of the master that holds key: the client
// itself for a single node or Sentinel, the slot's master on a Cluster
// (WAIT counts the replicas of the connection's own node).
func (s *Store) nodeFor(ctx context.Context, key string) (redis.Cmdable, error) {
	if cc, ok := s.client.(*redis.ClusterClient); ok {
		n, err := cc.MasterForKey(ctx, key)
		if err != nil {
			return nil, fmt.Errorf("master for %q: %w", key, err)
		}
		return n, nil
	}
	return s.client, nil
}
