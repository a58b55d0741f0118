package connrun

import (
	"math/rand/v2"
	"time"
)

// A Backoff bounds the wait before dialing again after a failure: Min
// after the first, doubling per failure in a row up to Max. A connection
// that stayed up for Max starts the count again, so a peer that accepts
// and drops at once still sees the wait grow.
type Backoff struct {
	Min, Max time.Duration
}

// Wait returns the wait after n consecutive failures: Min·2ⁿ capped at
// Max, less up to a quarter at random so that replicas do not redial in
// step.
func (b Backoff) Wait(n int) time.Duration {
	d := b.Min
	for i := 0; i < n && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	return d - time.Duration(rand.Int64N(int64(d)/4+1))
}

// stable reports whether a connection that was up for up resets the
// failure count.
func (b Backoff) stable(up time.Duration) bool { return up >= b.Max }
