package dingtalk

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"duban/bot"
)

// Defaults for RobotConfig.
const (
	// DefaultReplyWithin is how long a handler may take for its answer to go
	// in the HTTP response. DingTalk documents no timeout for HTTP-mode robot
	// callbacks (PROTOCOLS §4, §8.5); 2.5 s keeps well inside the 5 s that
	// WeCom and DingTalk's own SDK use, and duban answers in microseconds.
	DefaultReplyWithin = 2500 * time.Millisecond
	// DefaultHandlerTimeout bounds a handler that missed ReplyWithin.
	DefaultHandlerTimeout = time.Minute
	// DefaultMaxBodyBytes caps a callback body. A text message is well under
	// 4 KiB; 64 KiB leaves room for richText and long nick/title fields.
	DefaultMaxBodyBytes = 64 << 10
	// DefaultBaseURL is DingTalk's API host; sessionWebhook URLs live there.
	DefaultBaseURL = "https://oapi.dingtalk.com"
)

// RobotConfig configures the HTTP-mode robot callback.
type RobotConfig struct {
	// AppSecret is the robot app's AppSecret, the key of the sign header.
	// Required.
	AppSecret Secret
	// ReplyWithin is how long the handler may take for its answer to go in
	// the HTTP response; a later answer goes to the sessionWebhook.
	// Default: DefaultReplyWithin (2.5s).
	ReplyWithin time.Duration
	// SessionOnly sends every answer through the sessionWebhook and answers
	// the callback with an empty 200. Replying in the response body is
	// observed in the wild but not officially documented (PROTOCOLS §4.3);
	// set it if a tenant ignores response bodies. Default: false.
	SessionOnly bool
	// HandlerTimeout bounds the context of a handler that missed
	// ReplyWithin. Default: 1m.
	HandlerTimeout time.Duration
	// MaxBodyBytes refuses larger bodies with 413. Default: 64 KiB.
	MaxBodyBytes int64
	// Window is how far the timestamp header may be from now. Default: 1h.
	Window time.Duration
	// BaseURL is where sessionWebhooks must point: a request whose
	// sessionWebhook does not start with BaseURL+"/" gets no late answer, so
	// a replayed request cannot make duban post elsewhere (the signature
	// covers only the timestamp). Default: https://oapi.dingtalk.com.
	BaseURL string
	// HTTPClient posts to sessionWebhooks. Default: a client with a 5s timeout.
	HTTPClient *http.Client
	// Title is the markdown title of a reply without a head line.
	// Default: "督办助手".
	Title string
	// Replay remembers each accepted (timestamp, sign) pair until the
	// signature expires, in the store replicas share: the sign header
	// covers only the timestamp, so without it a captured request is
	// answered again after Dedup forgets its msgId, and a valid pair
	// carries any made-up body. Default: nil, no replay check (tests and
	// single-use tools; `duban serve` always sets it).
	//
	// The price: the pair depends only on the millisecond, so of two
	// genuine messages DingTalk signs in the same millisecond the second
	// is refused as a forgery (401). Accepting it would accept any body
	// under a captured pair, which is the attack.
	Replay *bot.ReplayGuard
	// Now is the clock for the timestamp window and session expiry.
	// Default: time.Now.
	Now func() time.Time
	// Logger logs refusals and delivery failures, never message text.
	// Default: discard.
	Logger *slog.Logger
}

func (c RobotConfig) withDefaults() RobotConfig {
	if c.ReplyWithin <= 0 {
		c.ReplyWithin = DefaultReplyWithin
	}
	if c.HandlerTimeout <= 0 {
		c.HandlerTimeout = DefaultHandlerTimeout
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.Window <= 0 {
		c.Window = DefaultWindow
	}
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	c.HTTPClient = newHTTPClient(c.HTTPClient)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = discard
	}
	return c
}

// Validate reports every missing or invalid field, named by YAML path.
func (c RobotConfig) Validate() error {
	var errs []error
	if c.AppSecret == "" {
		errs = append(errs, errors.New("dingtalk.robot: app_secret: missing"))
	}
	if c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "https://") && !strings.HasPrefix(c.BaseURL, "http://") {
		errs = append(errs, errors.New("dingtalk: api_base_url: not an http(s) URL"))
	}
	return errors.Join(errs...)
}
