package connrun

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"duban/bot"
)

// A Conn is one open connection.
type Conn interface {
	// Serve reads and answers frames until the connection fails or ctx is
	// done. It returns why the connection ended.
	Serve(ctx context.Context) error
	// Close ends the connection. Run calls it once, after Serve returned
	// and, when Run is stopping, after the pool finished its jobs.
	Close()
}

// A Dial opens one connection, ready to serve: dialed, and subscribed
// where the platform asks for it. Its error says why it could not.
type Dial func(ctx context.Context) (Conn, error)

// ErrRedial, wrapped in the error a Conn's Serve returns, means the peer
// asked for a new connection (DingTalk's SYSTEM disconnect): Run dials
// again at once, and the failure count starts over.
var ErrRedial = errors.New("peer asked for a new connection")

// A StopError ends Run: dialing again would do harm (WeCom handed the bot
// to another connection, and the two would evict each other for ever).
type StopError struct {
	State string // the state Run leaves behind, such as "replaced"
	Err   error
}

func (e *StopError) Error() string { return e.Err.Error() }
func (e *StopError) Unwrap() error { return e.Err }

// A Loop is what Run needs of a platform.
type Loop struct {
	// Name prefixes log messages: "dingtalk stream".
	Name string
	// Dial opens each connection. Required.
	Dial Dial
	// Backoff bounds the waits after failures. Zero fields take the
	// defaults (Backoff.WithDefaults): a zero wait would redial in a loop.
	Backoff Backoff
	// State receives every state change; Check on it serves /readyz.
	// Required.
	State *bot.ConnState
	// Pool runs the work the connections' messages make; Run closes it.
	// Required.
	Pool *Pool
	// Stopping, if set, is called once when Run stops, before the pool's
	// last jobs finish: it wakes jobs waiting for a connection that will
	// not come (WeCom pushes wait for one).
	Stopping func()
	// Logger logs connection losses and the stop. Default: discard.
	Logger *slog.Logger
}

// Run dials and serves until ctx is done, dialing again after each
// connection ends: at once when it ended with ErrRedial, otherwise after
// l.Backoff. When ctx is done the current connection stops reading, the
// pool finishes every job already accepted (each job bounds itself), the
// connection closes, and Run returns nil. A connection that ends with a
// *StopError ends Run with that error.
func Run(ctx context.Context, l Loop) error {
	log := l.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l.Backoff = l.Backoff.WithDefaults()
	final := bot.ConnStopped
	defer func() {
		if l.Stopping != nil {
			l.Stopping()
		}
		l.Pool.Close()
		l.State.Set(final, nil)
		log.Info(l.Name+": stopped", "state", final)
	}()

	failures := 0
	for {
		l.State.Set(bot.ConnConnecting, nil)
		up, err := l.serveOne(ctx)
		var stop *StopError
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.As(err, &stop):
			final = stop.State
			log.Error(l.Name+": stopped for good", "err", err)
			return err
		case errors.Is(err, ErrRedial):
			log.Info(l.Name+": peer asked for a new connection", "up", up.Round(time.Millisecond))
			failures = 0
			continue
		}
		if l.Backoff.stable(up) {
			failures = 0
		}
		wait := l.Backoff.Wait(failures)
		failures++
		l.State.Set(bot.ConnBackoff, err)
		log.Warn(l.Name+": connection lost", "err", err, "up", up.Round(time.Millisecond), "retry_in", wait.Round(time.Millisecond), "failures", failures)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// serveOne dials one connection and serves it until it ends. up is how
// long it was connected.
func (l Loop) serveOne(ctx context.Context) (up time.Duration, err error) {
	c, err := l.Dial(ctx)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	l.State.Set(bot.ConnConnected, nil)
	err = c.Serve(ctx)
	up = time.Since(start)
	if ctx.Err() != nil {
		// Stopping: replies may need this connection (WeCom answers on
		// the socket), so the accepted messages are answered first.
		l.Pool.Close()
	}
	c.Close()
	return up, err
}
