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
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"duban/bot"
	"duban/bot/internal/connrun"
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
// exponential backoff after a failure. When ctx is done the connection
// stops taking messages, the workers reply to the messages already
// received (each bounded by HandlerTimeout), the connection closes and
// Run returns nil.
// If WeCom hands the bot to another connection (disconnected_event) Run
// stops and returns ErrReplaced: reconnecting would take the bot back and
// the two would evict each other for ever. Run may be called once at a time.
func (c *Client) Run(ctx context.Context) error {
	if !c.running.CompareAndSwap(false, true) {
		return errors.New("wecom long connection: Run is already running")
	}
	defer c.running.Store(false)

	p := &pool{workers: connrun.NewPool(c.cfg.Workers, c.cfg.Queue), do: func(j job) { c.work(ctx, j) }}
	closing := make(chan struct{})
	c.mu.Lock()
	c.closing = closing
	c.mu.Unlock()
	// Its one error is the *connrun.StopError for ErrReplaced.
	return connrun.Run(ctx, connrun.Loop{
		Name:     "wecom long connection",
		Dial:     func(ctx context.Context) (connrun.Conn, error) { return c.dial(ctx, p) },
		Backoff:  c.cfg.backoff(),
		State:    c.conn,
		Pool:     p.workers,
		Stopping: func() { close(closing) }, // pushes waiting for a connection give up
		Logger:   c.cfg.Logger.With("platform", bot.WeComAIBot, "transport", "long_connection"),
	})
}

// dial opens one connection and subscribes on it.
func (c *Client) dial(ctx context.Context, p *pool) (connrun.Conn, error) {
	dctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	ws, _, err := websocket.Dial(dctx, c.cfg.URL, nil)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	conn := &wsConn{c: c, s: newSession(ws), readDone: make(chan struct{})}
	go func() {
		defer close(conn.readDone)
		// The session outlives ctx until the workers have replied on it.
		conn.s.read(context.WithoutCancel(ctx), func(f *frame) { c.dispatch(conn.s, p, f) })
	}()

	sctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	_, err = conn.s.request(sctx, cmdSubscribe, newReqID(cmdSubscribe), subscribeBody{BotID: c.cfg.BotID, Secret: string(c.cfg.Secret)})
	cancel()
	if err != nil {
		conn.end()
		return nil, fmt.Errorf("subscribe: %w", err)
	}
	c.publish(conn.s)
	c.cfg.Logger.Info("wecom long connection: subscribed", "platform", bot.WeComAIBot, "url", c.cfg.URL)
	return conn, nil
}

// A wsConn is one subscribed connection, published for pushes and late
// replies while it serves.
type wsConn struct {
	c        *Client
	s        *session
	readDone chan struct{}
}

// Serve sends heartbeats until the session ends. Replacement by another
// connection stops Run for good.
func (w *wsConn) Serve(ctx context.Context) error {
	err := w.c.heartbeat(ctx, w.s)
	if errors.Is(err, ErrReplaced) {
		return &connrun.StopError{State: StateReplaced, Err: err}
	}
	return err
}

// Close withdraws the session and ends it; no dispatch outlives it, since
// Run closes the pool after it.
func (w *wsConn) Close() {
	w.c.publish(nil)
	w.end()
}

func (w *wsConn) end() {
	w.s.end(ErrConnectionLost)
	<-w.readDone
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
