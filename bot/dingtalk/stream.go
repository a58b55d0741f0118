package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/client"
	frames "github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"

	"duban/bot"
	"duban/bot/internal/connrun"
)

// Connection states reported by Stream.State and StreamConfig.OnState.
const (
	StateStopped    = bot.ConnStopped    // Run not running
	StateConnecting = bot.ConnConnecting // opening a connection (connections/open, then WebSocket)
	StateConnected  = bot.ConnConnected  // WebSocket up, messages flowing
	StateBackoff    = bot.ConnBackoff    // waiting before the next attempt after a failure
)

// A Stream is a DingTalk robot in Stream mode (PROTOCOLS §4.4): it keeps
// an outbound WebSocket to DingTalk's gateway, so duban needs no public IP.
// Robot messages arrive on the socket; each is ACKed at once, then answered
// by a bounded pool of workers through the message's sessionWebhook
// (Stream mode cannot answer on the socket, PROTOCOLS §4.3).
//
// The official SDK (v0.9.1) opens each connection: its StreamClient lists
// the subscriptions and makes the connections/open call against
// OpenAPIBaseURL, and its payload package is the frame codec. The socket
// itself is served here, because v0.9.1's processLoop cannot be used as is:
// it writes each ACK from a goroutine of its own on a gorilla/websocket
// connection, which allows one writer at a time; it can send on channels it
// has closed when a ping times out; and its reconnect loop retries every 3 s
// forever on context.Background, with no backoff and no way to stop it.
//
// Leave the SDK's process-wide logger (logger.SetLogger) alone, or at
// least off debug level: its debug dump of connections/open includes the
// client secret.
//
// Redeliveries carry the same msgId, which becomes bot.Message.ID, so a
// bot.Dedup in the handler chain answers each message once.
type Stream struct {
	cfg StreamConfig
	h   bot.HandlerFunc
	sdk *client.StreamClient

	running atomic.Bool
	conn    *bot.ConnState
	cards   *cardHandler // card clicks (cards.go); nil: not subscribed
}

// NewStream returns a Stream passing robot messages to h. Call Run to
// connect.
func NewStream(cfg StreamConfig, h bot.HandlerFunc) (*Stream, error) {
	if h == nil {
		panic("dingtalk: NewStream with nil handler")
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new stream: %w", err)
	}
	s := &Stream{cfg: cfg.withDefaults(), h: h}
	s.conn = bot.NewConnState("dingtalk stream", s.cfg.OnState)
	s.sdk = client.NewStreamClient(
		client.WithAppCredential(client.NewAppCredentialConfig(cfg.ClientID, string(cfg.ClientSecret))),
		client.WithOpenApiHost(s.cfg.OpenAPIBaseURL),
		client.WithAutoReconnect(false),
	)
	// The SDK sends the registered routes as the subscriptions of
	// connections/open (it already has SYSTEM ping and disconnect). Frames
	// are dispatched by serveConn, not through these routes: see Stream.
	s.sdk.RegisterCallbackRouter(frames.BotMessageCallbackTopic, notDispatched)
	return s, nil
}

// notDispatched stands in the SDK's router for the robot topic, whose
// frames serveConn handles itself.
func notDispatched(context.Context, *frames.DataFrame) (*frames.DataFrameResponse, error) {
	return nil, errors.New("dingtalk stream: frame routed through the SDK")
}

// State returns the connection state: one of the State* constants.
func (s *Stream) State() string { return s.conn.State() }

// Connected reports whether the WebSocket to the gateway is up.
func (s *Stream) Connected() bool { return s.State() == StateConnected }

// Check is a readiness check for bot.Server.AddCheck: nil while connected,
// otherwise an error naming the state and the last failure.
func (s *Stream) Check(ctx context.Context) error { return s.conn.Check(ctx) }

// Run connects and serves until ctx is done, reconnecting with
// exponential backoff whenever the connection fails, and at once when the
// gateway asks for a new one. When ctx is done the connection stops
// reading, the workers answer every message already ACKed (each bounded
// by HandlerTimeout), the connection closes and Run returns nil. Run may
// be called once at a time.
func (s *Stream) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return errors.New("dingtalk stream: Run is already running")
	}
	defer s.running.Store(false)
	p := connrun.NewPool(s.cfg.Workers, s.cfg.Queue)
	return connrun.Run(ctx, connrun.Loop{
		Name:    "dingtalk stream",
		Dial:    func(ctx context.Context) (connrun.Conn, error) { return s.dial(ctx, p) },
		Backoff: s.cfg.backoff(),
		State:   s.conn,
		Pool:    p,
		Logger:  s.cfg.Logger.With("platform", bot.DingTalkStrm),
	})
}
