package dingtalk

import (
	"errors"
	"fmt"
	"time"
)

// Sentinels for the two reasons a robot request is not authentic. They
// would belong in package bot (STYLE §3.4 names bot.ErrBadSignature and
// bot.ErrExpired); they live here until bot declares them.
var (
	// ErrBadSignature: the sign header is missing or does not match.
	ErrBadSignature = errors.New("dingtalk: bad signature")
	// ErrExpired: the timestamp header is more than the window away from now.
	ErrExpired = errors.New("dingtalk: timestamp outside the allowed window")
)

// Error codes DingTalk returns in errcode. Only the ones callers react to.
const (
	// CodeRateLimited: "send too fast, exceed 20 times per minute"; DingTalk
	// then blocks the robot for 10 minutes (PROTOCOLS §5, observed, not in
	// the official error list).
	CodeRateLimited = 130101
	// CodeSecurity: sign not match, keywords not in content, IP not allowed.
	CodeSecurity = 310000
	// CodeBadToken: the access_token does not exist (robot removed).
	CodeBadToken = 300001
	// CodeBusy: DingTalk's generic "系统繁忙" (system busy).
	CodeBusy = -1
)

// An APIError is a DingTalk answer that refused a message: errcode != 0 in
// a 200 response, or a non-200 HTTP status (Status, with Code 0 unless the
// body carried one too). It never contains the access token.
type APIError struct {
	Op     string // "send" or "session reply"
	Status int    // HTTP status; 200 when the refusal was an errcode
	Code   int    // DingTalk errcode
	Msg    string // DingTalk errmsg
}

func (e *APIError) Error() string {
	if e.Status != 0 && e.Status != 200 {
		return fmt.Sprintf("dingtalk: %s: http %d: %d %s", e.Op, e.Status, e.Code, e.Msg)
	}
	return fmt.Sprintf("dingtalk: %s: %d %s", e.Op, e.Code, e.Msg)
}

// Retryable reports whether sending the same message again later may
// succeed: a rate limit (wait 10 minutes), a busy or failing server. Bad
// signatures, keywords, IPs and tokens need an operator.
func (e *APIError) Retryable() bool {
	switch {
	case e.Code == CodeRateLimited, e.Code == CodeBusy:
		return true
	case e.Status == 429, e.Status >= 500:
		return true
	}
	return false
}

// RateLimited reports whether DingTalk refused the message for sending too
// fast, so the caller should pause this robot for 10 minutes.
func (e *APIError) RateLimited() bool { return e.Code == CodeRateLimited || e.Status == 429 }

// BlockAfterRateLimit is how long DingTalk blocks a robot that sent more
// than 20 messages in a minute (130101; PROTOCOLS §5).
const BlockAfterRateLimit = 10 * time.Minute

// RetryAfter is how long to leave the robot alone after err: the 10-minute
// block after 130101, a minute after an HTTP 429, else 0.
func (e *APIError) RetryAfter() time.Duration {
	switch {
	case e.Code == CodeRateLimited:
		return BlockAfterRateLimit
	case e.Status == 429:
		return time.Minute
	}
	return 0
}

// A TransportError is a failure to get any answer from DingTalk: connection
// refused, timeout, a body that is not JSON. Sending again may succeed.
// Its text names the endpoint without query (no token, no session).
type TransportError struct {
	Op       string // "send" or "session reply"
	Endpoint string // scheme://host/path, query removed
	Err      error
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("dingtalk: %s: %s: %v", e.Op, e.Endpoint, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// Retryable reports true: the message may not have arrived.
func (e *TransportError) Retryable() bool { return true }
