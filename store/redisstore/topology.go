package redisstore

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/redis/go-redis/v9"
)

// reloadOnTopologyError is a go-redis hook for the Cluster client: a
// command that failed in a way that means the topology changed makes the
// client reload its slot map at once (go-redis debounces the reloads),
// instead of keeping a dead master's slots until the map is old.
type reloadOnTopologyError struct {
	reload func()
}

func (h reloadOnTopologyError) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h reloadOnTopologyError) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		if topologyError(err) {
			h.reload()
		}
		return err
	}
}

func (h reloadOnTopologyError) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		failed := topologyError(err)
		for _, c := range cmds {
			failed = failed || topologyError(c.Err())
		}
		if failed {
			h.reload()
		}
		return err
	}
}

// topologyPrefixes are the server replies that mean a node is not (or no
// longer) the master of the slot, or is not serving yet.
var topologyPrefixes = []string{"CLUSTERDOWN", "READONLY", "MASTERDOWN", "TRYAGAIN", "LOADING"}

// topologyError reports whether err means the cluster's shape changed: a
// node refused, dropped or timed out the connection, or answered that it
// is not the master any more. redis.Nil and script errors do not.
func topologyError(err error) bool {
	if err == nil || errors.Is(err, redis.Nil) || errors.Is(err, context.Canceled) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, net.ErrClosed) {
		return true
	}
	msg := err.Error()
	for _, p := range topologyPrefixes {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
