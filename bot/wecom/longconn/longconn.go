// Package longconn connects duban to a WeCom 智能机器人 (AI bot) over its
// long connection: an outbound WebSocket to wss://openws.work.weixin.qq.com,
// so duban needs no public IP or callback URL (PROTOCOLS §1.9, transport B;
// WeCom lets a bot use either the callback or the long connection).
//
// A [Client] subscribes with the bot ID and secret, sends heartbeats,
// passes @-mentions and single-chat messages to a [bot.HandlerFunc] on a
// bounded pool of workers, replies on the socket with the message's
// req_id, pushes to a chat with [Client.Send] ([ChatSender] is the
// bot.Sender for one chat) and reconnects with backoff. The frames are in
// frames.go, with what the sources leave unclear.
package longconn

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"duban/bot"
)

// Connection states reported by Client.State and Config.OnState.
const (
	StateStopped    = bot.ConnStopped    // Run not running
	StateConnecting = bot.ConnConnecting // dialing and subscribing
	StateConnected  = bot.ConnConnected  // subscribed, messages flowing
	StateBackoff    = bot.ConnBackoff    // waiting before the next attempt after a failure
	StateReplaced   = "replaced"         // another connection took the bot; Run returned ErrReplaced
)

// A Client is one bot's long connection.
type Client struct {
	cfg Config
	h   bot.HandlerFunc

	running atomic.Bool
	conn    *bot.ConnState
	mu      sync.Mutex
	cur     *session      // the subscribed session, nil between connections
	changed chan struct{} // closed and replaced whenever cur changes
	closing chan struct{} // closed when Run starts shutting down
	cards   *cardHandler  // template_card clicks (cards.go); nil: ignored
}

// New returns a Client passing messages to h. Call Run to connect.
func New(cfg Config, h bot.HandlerFunc) (*Client, error) {
	if h == nil {
		panic("longconn: New with nil handler")
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new wecom long connection: %w", err)
	}
	c := &Client{cfg: cfg.withDefaults(), h: h, changed: make(chan struct{})}
	c.conn = bot.NewConnState("wecom long connection", c.cfg.OnState)
	return c, nil
}

// State returns the connection state: one of the State* constants.
func (c *Client) State() string { return c.conn.State() }

// Connected reports whether the connection is up and subscribed.
func (c *Client) Connected() bool { return c.State() == StateConnected }

// Check is a readiness check for bot.Server.AddCheck: nil while
// connected, otherwise an error naming the state and the last failure.
func (c *Client) Check(ctx context.Context) error { return c.conn.Check(ctx) }

func (c *Client) setState(state string, err error) { c.conn.Set(state, err) }

// publish makes s the session pushes and late replies use; nil withdraws it.
func (c *Client) publish(s *session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cur = s
	close(c.changed)
	c.changed = make(chan struct{})
}

// session waits until a subscribed session is up or ctx ends. A session
// that ended but is not withdrawn yet is waited out.
func (c *Client) session(ctx context.Context) (*session, error) {
	for {
		c.mu.Lock()
		s, changed, closing := c.cur, c.changed, c.closing
		c.mu.Unlock()
		if s != nil && s.alive() {
			return s, nil
		}
		select {
		case <-changed:
		case <-closing: // Run is stopping: no connection will come
			return nil, ErrNotConnected
		case <-ctx.Done():
			return nil, ErrNotConnected
		}
	}
}

// Run connects, subscribes and serves until ctx is done, reconnecting with
// exponential backoff after a failure. When ctx is done it closes the
// connection once the workers have replied to the messages already
// received (each bounded by HandlerTimeout) and returns nil.
// If WeCom hands the bot to another connection (disconnected_event) Run
// stops and returns ErrReplaced: reconnecting would take the bot back and
// the two would evict each other for ever. Run may be called once at a time.
func (c *Client) Run(ctx context.Context) error {
	if !c.running.CompareAndSwap(false, true) {
		return errors.New("wecom long connection: Run is already running")
	}
	defer c.running.Store(false)
	log := c.cfg.Logger.With("platform", bot.WeComAIBot, "transport", "long_connection")

	p := newPool(c.cfg.Workers, c.cfg.Queue, func(j job) { c.work(ctx, j) })
	closing := make(chan struct{})
	c.mu.Lock()
	c.closing = closing
	c.mu.Unlock()
	final := StateStopped
	defer func() {
		close(closing)
		p.close()
		c.setState(final, nil)
		log.Info("wecom long connection: stopped", "state", final)
	}()

	failures := 0
	for {
		c.setState(StateConnecting, nil)
		up, err := c.connect(ctx, p)
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, ErrReplaced):
			final = StateReplaced
			log.Error("wecom long connection: another connection subscribed with this bot; not reconnecting")
			return fmt.Errorf("wecom long connection: %w", err)
		}
		if up >= c.cfg.MaxBackoff {
			failures = 0
		}
		wait := backoff(failures, c.cfg.MinBackoff, c.cfg.MaxBackoff)
		failures++
		c.setState(StateBackoff, err)
		log.Warn("wecom long connection: connection lost", "err", err, "up", up.Round(time.Millisecond), "retry_in", wait.Round(time.Millisecond), "failures", failures)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// connect dials, subscribes and serves one connection until it ends. up
// is how long it was subscribed.
func (c *Client) connect(ctx context.Context, p *pool) (up time.Duration, err error) {
	dctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	conn, _, err := websocket.Dial(dctx, c.cfg.URL, nil)
	cancel()
	if err != nil {
		return 0, fmt.Errorf("dial: %w", err)
	}
	s := newSession(conn)
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		// The session outlives ctx until the workers have replied on it.
		s.read(context.WithoutCancel(ctx), func(f *frame) { c.dispatch(s, p, f) })
	}()
	defer func() { // no dispatch may outlive connect: Run closes the pool after it
		s.end(ErrConnectionLost)
		<-readDone
	}()

	sctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	_, err = s.request(sctx, cmdSubscribe, newReqID(cmdSubscribe), subscribeBody{BotID: c.cfg.BotID, Secret: string(c.cfg.Secret)})
	cancel()
	if err != nil {
		return 0, fmt.Errorf("subscribe: %w", err)
	}
	start := time.Now()
	c.publish(s)
	defer c.publish(nil)
	c.setState(StateConnected, nil)
	c.cfg.Logger.Info("wecom long connection: subscribed", "platform", bot.WeComAIBot, "url", c.cfg.URL)
	err = c.heartbeat(ctx, s)
	if ctx.Err() != nil {
		// Shutting down: replies need this connection, so the workers
		// finish the messages already received before it closes.
		p.close()
	}
	return time.Since(start), err
}

// heartbeat pings every Heartbeat until the session ends, and ends it
// after MissedHeartbeats pings in a row got no answer: a connection lost
// behind a NAT never fails a read.
func (c *Client) heartbeat(ctx context.Context, s *session) error {
	t := time.NewTicker(c.cfg.Heartbeat)
	defer t.Stop()
	missed := 0
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return s.err
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, c.cfg.Heartbeat)
		_, err := s.request(pctx, cmdPing, newReqID(cmdPing), nil)
		cancel()
		switch {
		case err == nil:
			missed = 0
		case isTransport(err) && s.alive() && ctx.Err() == nil:
			if missed++; missed >= c.cfg.MissedHeartbeats {
				s.end(fmt.Errorf("%d heartbeats unanswered", missed))
			}
		case !isTransport(err): // an errcode: the server is there
			c.cfg.Logger.Warn("wecom long connection: heartbeat refused", "platform", bot.WeComAIBot, "err", err)
		}
	}
}

// dispatch handles a frame that answers no request: message callbacks go
// to the pool, the replacement event ends the session.
func (c *Client) dispatch(s *session, p *pool, f *frame) {
	log := c.cfg.Logger.With("platform", bot.WeComAIBot)
	if f == nil {
		log.Warn("wecom long connection: unreadable frame ignored")
		return
	}
	switch f.Cmd {
	case cmdMsgCallback:
		j, err := newJob(s, f)
		if err != nil {
			log.Warn("wecom long connection: message refused", "err", err)
			return
		}
		if !p.trySubmit(j) {
			// WeCom has no ACK to withhold; dropping keeps heartbeats read.
			log.Warn("wecom long connection: queue full or shutting down, message dropped", "msg_id", j.body.MsgID)
		}
	case cmdEventCallback:
		j, err := newJob(s, f)
		if err == nil && j.body.Event.EventType == eventReplaced {
			s.end(ErrReplaced)
			return
		}
		if err == nil && c.cardEvent(p, j, f) {
			return
		}
		log.Debug("wecom long connection: event ignored", "req_id", f.Headers.ReqID)
	default:
		log.Debug("wecom long connection: unexpected frame ignored", "cmd", f.Cmd, "req_id", f.Headers.ReqID)
	}
}

// backoff returns the wait after n consecutive failures: lo·2ⁿ capped at
// hi, less up to a quarter at random so replicas do not retry in step.
func backoff(n int, lo, hi time.Duration) time.Duration {
	d := lo
	for i := 0; i < n && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	return d - time.Duration(rand.Int64N(int64(d)/4+1))
}
