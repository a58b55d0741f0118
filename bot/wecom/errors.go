package wecom

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// An APIError is a refusal by WeCom: a JSON reply with errcode != 0, or an
// HTTP status other than 200. Test for it with errors.As.
type APIError struct {
	Op     string // "webhook/send", "appchat/send", "message/send", "gettoken", "aibot/response"
	Status int    // HTTP status
	Code   int    // errcode; 0 when the HTTP status alone failed
	Msg    string // errmsg, with any secret removed
}

func (e *APIError) Error() string {
	if e.Code == 0 {
		return fmt.Sprintf("wecom %s: HTTP %d: %s", e.Op, e.Status, e.Msg)
	}
	return fmt.Sprintf("wecom %s: errcode %d: %s", e.Op, e.Code, e.Msg)
}

// Retryable reports whether sending again later may succeed: rate limits
// (45009 api freq out of limit, 45033 too many concurrent calls), -1 system
// busy, HTTP 429 and 5xx. Bad keys (93000), bad tokens (40014, 42001 once
// the single refresh failed), bad recipients and bad content are final.
func (e *APIError) Retryable() bool {
	switch e.Code {
	case -1, 45009, 45033:
		return true
	case 0:
		return e.Status == http.StatusTooManyRequests || e.Status >= 500
	}
	return false
}

// RateLimited reports whether WeCom throttled the call (wait ≥ 60 s).
func (e *APIError) RateLimited() bool {
	return e.Code == 45009 || e.Code == 45033 || e.Status == http.StatusTooManyRequests
}

// RetryAfter is how long to leave the robot or app alone after a refusal
// for sending too fast: 45009 counts the webhook's last minute, so a full
// minute; 0 for other errors.
func (e *APIError) RetryAfter() time.Duration {
	if e.RateLimited() {
		return time.Minute
	}
	return 0
}

// tokenExpired reports the errcodes that mean "get a new access_token":
// 40014 invalid, 42001 expired, 41001 missing (PROTOCOLS §3.1, §0.5).
func (e *APIError) tokenExpired() bool {
	return e.Code == 40014 || e.Code == 42001 || e.Code == 41001
}

// A NetError is a failed HTTP exchange (connection refused, timeout, a
// broken body). It is always retryable. URL has its secrets redacted.
type NetError struct {
	Op  string
	URL string
	Err error
}

func (e *NetError) Error() string { return fmt.Sprintf("wecom %s: %s: %v", e.Op, e.URL, e.Err) }

// Unwrap returns the cause, e.g. context.DeadlineExceeded.
func (e *NetError) Unwrap() error { return e.Err }

// Retryable is always true: the request may not have reached WeCom.
func (e *NetError) Retryable() bool { return true }

// secretParams are the query parameters that carry credentials.
var secretParams = []string{"key", "access_token", "corpsecret", "response_code"}

// redactURL removes credentials from a URL before it goes into an error.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	q := u.Query()
	for _, p := range secretParams {
		if q.Has(p) {
			q.Set(p, redacted)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// scrub removes each non-empty secret from s (WeCom echoes some inputs in
// errmsg; a webhook key must never reach a log through it).
func scrub(s string, secrets ...string) string {
	for _, x := range secrets {
		if len(x) >= 4 {
			s = strings.ReplaceAll(s, x, redacted)
		}
	}
	return s
}
