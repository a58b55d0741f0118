package longconn

import (
	"errors"
	"log/slog"
	"strings"
	"time"

	"duban/bot/internal/connrun"
)

// Defaults for Config.
const (
	// DefaultURL is WeCom's long-connection endpoint.
	DefaultURL = "wss://openws.work.weixin.qq.com"
	// DefaultHeartbeat is the ping interval the official SDK uses (30 s).
	DefaultHeartbeat = 30 * time.Second
	// DefaultMissedHeartbeats unanswered pings in a row end a connection,
	// as in the official SDK (2).
	DefaultMissedHeartbeats = 2
	// DefaultRequestTimeout bounds the wait for WeCom's answer to one
	// frame; the official SDK waits 5 s for a reply's receipt.
	DefaultRequestTimeout = 5 * time.Second
	// DefaultWorkers handlers run at once; WeCom lets one user have at
	// most three messages in progress with a bot (path/100719).
	DefaultWorkers = connrun.DefaultWorkers
	// DefaultQueue messages may wait for a worker.
	DefaultQueue = connrun.DefaultQueue
	// DefaultHandlerTimeout bounds one message, handler and reply.
	DefaultHandlerTimeout = time.Minute
	// DefaultMinBackoff and DefaultMaxBackoff bound the wait between
	// connection attempts, which doubles per failure.
	DefaultMinBackoff = connrun.DefaultMinBackoff
	DefaultMaxBackoff = connrun.DefaultMaxBackoff
)

// Config configures the 智能机器人 long connection.
type Config struct {
	// BotID is the bot's ID, wecom.aibot.long_connection.bot_id. Required.
	BotID string
	// Secret is the bot's long-connection secret,
	// wecom.aibot.long_connection.secret. Required.
	Secret Secret
	// URL is the WebSocket endpoint, wecom.aibot.long_connection.url.
	// Default: wss://openws.work.weixin.qq.com.
	URL string
	// BotName, if set, removes "@BotName" anywhere in a question;
	// otherwise only leading @-mentions are removed.
	BotName string
	// Heartbeat is the interval between pings. Default: 30s.
	Heartbeat time.Duration
	// MissedHeartbeats unanswered pings in a row end the connection.
	// Default: 2.
	MissedHeartbeats int
	// RequestTimeout bounds the wait for WeCom's answer to a subscribe,
	// reply or push. Default: 5s.
	RequestTimeout time.Duration
	// Workers bounds how many handlers run at once. Default: 8.
	Workers int
	// Queue is how many messages may wait for a worker; a message arriving
	// when it is full is dropped with a warning. Default: 64.
	Queue int
	// HandlerTimeout bounds one message: handler and reply. Default: 1m.
	HandlerTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait before reconnecting; it
	// doubles per failure, with jitter, and starts again from MinBackoff
	// after a connection stayed up for MaxBackoff. Defaults: 1s and 1m.
	MinBackoff, MaxBackoff time.Duration
	// OnState, if set, is called with each new connection state (one of
	// the State* constants), for metrics; it must not block.
	OnState func(state string)
	// Logger logs connection state and failures, never message text.
	// Default: discard.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.URL == "" {
		c.URL = DefaultURL
	}
	if c.Heartbeat <= 0 {
		c.Heartbeat = DefaultHeartbeat
	}
	if c.MissedHeartbeats <= 0 {
		c.MissedHeartbeats = DefaultMissedHeartbeats
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	if c.Workers <= 0 {
		c.Workers = DefaultWorkers
	}
	if c.Queue <= 0 {
		c.Queue = DefaultQueue
	}
	if c.HandlerTimeout <= 0 {
		c.HandlerTimeout = DefaultHandlerTimeout
	}
	b := c.backoff().WithDefaults()
	c.MinBackoff, c.MaxBackoff = b.Min, b.Max
	if c.OnState == nil {
		c.OnState = func(string) {}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// backoff is the wait between connection attempts.
func (c Config) backoff() connrun.Backoff {
	return connrun.Backoff{Min: c.MinBackoff, Max: c.MaxBackoff}
}

// Validate reports every missing or invalid field, named by YAML path.
func (c Config) Validate() error {
	var errs []error
	if c.BotID == "" {
		errs = append(errs, errors.New("wecom.aibot.long_connection: bot_id: missing"))
	}
	if c.Secret == "" {
		errs = append(errs, errors.New("wecom.aibot.long_connection: secret: missing"))
	}
	if c.URL != "" && !strings.HasPrefix(c.URL, "wss://") && !strings.HasPrefix(c.URL, "ws://") {
		errs = append(errs, errors.New("wecom.aibot.long_connection: url: not a ws(s):// URL"))
	}
	return errors.Join(errs...)
}
