package scheduler

import "time"

// EventKind names what a scheduler Event reports.
type EventKind string

// The events a run reports to Metrics.
const (
	EventSent     EventKind = "sent"      // a digest was accepted; Tasks reminders confirmed
	EventSkipped  EventKind = "skipped"   // Tasks reminders were already sent
	EventPending  EventKind = "pending"   // Tasks reminders are claimed by another run
	EventFailed   EventKind = "failed"    // a digest failed for good this run; Tasks released
	EventRetried  EventKind = "retried"   // a push is tried again after Err
	EventRateWait EventKind = "rate_wait" // the chat's limiter made the push wait Wait
	EventTick     EventKind = "tick"      // a run ended after Wait, with Err if it failed
	// EventRateLimited: the platform refused a part for sending too fast
	// (the sender's error says RateLimited()); Wait is the block that
	// follows.
	EventRateLimited EventKind = "rate_limited"
	EventDeferred    EventKind = "deferred"   // Tasks released until a platform block ends
	EventReleased    EventKind = "released"   // Tasks released unsent by a stop
	EventFenced      EventKind = "fenced"     // Tasks found in another run's hands
	EventRetryTick   EventKind = "retry_tick" // a tick is run again after Wait (same day)
)

// An Event is one thing a run did, for a metrics layer to count.
type Event struct {
	Kind  EventKind
	Chat  string        // "" for EventTick
	Tasks int           // reminders concerned
	Wait  time.Duration // EventRateWait: the wait; EventTick: the run's duration
	Err   error
}

// Metrics observes a scheduler. Observe is called from the run's
// goroutines concurrently and must not block.
type Metrics interface {
	Observe(e Event)
}

// MetricsFunc adapts a function to Metrics.
type MetricsFunc func(Event)

// Observe calls f(e).
func (f MetricsFunc) Observe(e Event) { f(e) }
