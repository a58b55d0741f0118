package bot

import (
	"context"
	"fmt"
	"sync"
)

// Connection states of an outbound-only connection (DingTalk Stream, the
// WeCom 智能机器人 long connection).
const (
	ConnStopped    = "stopped"    // Run not running
	ConnConnecting = "connecting" // opening a connection
	ConnConnected  = "connected"  // up, messages flowing
	ConnBackoff    = "backoff"    // waiting before the next attempt after a failure
)

// A ConnState tracks an outbound connection's state and its last failure
// for /readyz and metrics. It is safe for concurrent use.
type ConnState struct {
	name    string
	onState func(string)

	mu      sync.Mutex
	state   string
	lastErr error
}

// NewConnState returns a stopped state named name ("dingtalk stream");
// onState, if not nil, is called after every change, outside the lock.
func NewConnState(name string, onState func(string)) *ConnState {
	return &ConnState{name: name, onState: onState, state: ConnStopped}
}

// State returns the current state.
func (c *ConnState) State() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// Check is a readiness check for Server.AddCheck: nil while connected,
// otherwise an error naming the state and the last failure.
func (c *ConnState) Check(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state == ConnConnected {
		return nil
	}
	if c.lastErr != nil {
		return fmt.Errorf("%s %s: %w", c.name, c.state, c.lastErr)
	}
	return fmt.Errorf("%s %s", c.name, c.state)
}

// Set moves to state. err is the failure that caused it; a new connection
// clears the last failure.
func (c *ConnState) Set(state string, err error) {
	c.mu.Lock()
	changed := c.state != state
	c.state = state
	if err != nil || state == ConnConnected {
		c.lastErr = err
	}
	c.mu.Unlock()
	if changed && c.onState != nil {
		c.onState(state)
	}
}
