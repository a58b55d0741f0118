package dingtalk

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"duban/bot/internal/connrun"
)

// Defaults for StreamConfig.
const (
	// DefaultOpenAPIBaseURL is DingTalk's OpenAPI host, where the Stream
	// gateway's connections/open endpoint lives (the SDK's default too).
	DefaultOpenAPIBaseURL = "https://api.dingtalk.com"
	// DefaultStreamWorkers is how many handlers run at once. duban answers
	// in microseconds; the time goes into the sessionWebhook POST.
	DefaultStreamWorkers = connrun.DefaultWorkers
	// DefaultStreamQueue is how many accepted messages may wait for a worker.
	DefaultStreamQueue = connrun.DefaultQueue
	// DefaultKeepAlive is how often the connection is pinged. The SDK pings
	// after 120 s of silence; a fixed 60 s finds a dead NAT mapping sooner.
	DefaultKeepAlive = time.Minute
	// DefaultMinBackoff and DefaultMaxBackoff bound the wait between
	// reconnection attempts, which doubles after each failure.
	DefaultMinBackoff = connrun.DefaultMinBackoff
	DefaultMaxBackoff = connrun.DefaultMaxBackoff
)

// StreamConfig configures the robot in Stream mode: an outbound WebSocket
// to DingTalk's gateway instead of a public callback URL.
type StreamConfig struct {
	// ClientID is the app's Client ID (AppKey), dingtalk.stream.client_id.
	// Required.
	ClientID string
	// ClientSecret is the app's Client Secret (AppSecret),
	// dingtalk.stream.client_secret. Required.
	ClientSecret Secret
	// OpenAPIBaseURL is where the SDK opens connections
	// (POST {OpenAPIBaseURL}/v1.0/gateway/connections/open),
	// dingtalk.openapi_base_url. Default: https://api.dingtalk.com.
	OpenAPIBaseURL string
	// BaseURL is where sessionWebhooks must point (dingtalk.api_base_url):
	// an answer to a message whose sessionWebhook lies elsewhere is dropped,
	// so a forged frame cannot make duban post to another host.
	// Default: https://oapi.dingtalk.com.
	BaseURL string
	// HTTPClient posts answers to sessionWebhooks. Default: a client with
	// a 5s timeout.
	HTTPClient *http.Client
	// Workers bounds how many handlers run at once. Default: 8.
	Workers int
	// Queue is how many accepted messages may wait for a worker; a message
	// arriving when the queue is full is refused (not ACKed). Default: 64.
	Queue int
	// HandlerTimeout bounds one message: handler and delivery. Default: 1m.
	HandlerTimeout time.Duration
	// KeepAlive is the interval of WebSocket pings; a ping unanswered
	// within KeepAlive/2 (at most 10s) drops the connection. Default: 1m.
	KeepAlive time.Duration
	// MinBackoff and MaxBackoff bound the wait before reconnecting after a
	// failure; it doubles per failure, with jitter, and starts again from
	// MinBackoff after a connection stayed up for MaxBackoff.
	// Defaults: 1s and 1m.
	MinBackoff, MaxBackoff time.Duration
	// OnState, if set, is called with each new connection state (one of
	// the State* constants), for metrics; it must not block.
	OnState func(state string)
	// Now is the clock for sessionWebhook expiry. Default: time.Now.
	Now func() time.Time
	// Logger logs connection state and failures, never message text.
	// Default: discard.
	Logger *slog.Logger
}

func (c StreamConfig) withDefaults() StreamConfig {
	if c.OpenAPIBaseURL == "" {
		c.OpenAPIBaseURL = DefaultOpenAPIBaseURL
	}
	c.OpenAPIBaseURL = strings.TrimRight(c.OpenAPIBaseURL, "/")
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	c.HTTPClient = newHTTPClient(c.HTTPClient)
	if c.Workers <= 0 {
		c.Workers = DefaultStreamWorkers
	}
	if c.Queue <= 0 {
		c.Queue = DefaultStreamQueue
	}
	if c.HandlerTimeout <= 0 {
		c.HandlerTimeout = DefaultHandlerTimeout
	}
	if c.KeepAlive <= 0 {
		c.KeepAlive = DefaultKeepAlive
	}
	b := c.backoff().WithDefaults()
	c.MinBackoff, c.MaxBackoff = b.Min, b.Max
	if c.OnState == nil {
		c.OnState = func(string) {}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = discard
	}
	return c
}

// backoff is the wait between connection attempts.
func (c StreamConfig) backoff() connrun.Backoff {
	return connrun.Backoff{Min: c.MinBackoff, Max: c.MaxBackoff}
}

// Validate reports every missing or invalid field, named by YAML path.
func (c StreamConfig) Validate() error {
	var errs []error
	if c.ClientID == "" {
		errs = append(errs, errors.New("dingtalk.stream: client_id: missing"))
	}
	if c.ClientSecret == "" {
		errs = append(errs, errors.New("dingtalk.stream: client_secret: missing"))
	}
	for _, u := range []struct{ key, val string }{
		{"dingtalk: openapi_base_url", c.OpenAPIBaseURL},
		{"dingtalk: api_base_url", c.BaseURL},
	} {
		if u.val != "" && !strings.HasPrefix(u.val, "https://") && !strings.HasPrefix(u.val, "http://") {
			errs = append(errs, errors.New(u.key+": not an http(s) URL"))
		}
	}
	return errors.Join(errs...)
}
