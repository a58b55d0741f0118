package longconn

import (
	"errors"
	"fmt"
)

// Sentinels, for errors.Is.
var (
	// ErrNotConnected: no subscribed connection came up before the
	// context ended, so a push could not be sent.
	ErrNotConnected = errors.New("wecom long connection: not connected")
	// ErrConnectionLost: the connection ended before WeCom answered.
	ErrConnectionLost = errors.New("wecom long connection: connection lost")
	// ErrReplaced: WeCom closed the connection because another one
	// subscribed with the same bot (one connection per bot).
	ErrReplaced = errors.New("wecom long connection: replaced by another connection of the same bot")
)

// An APIError is a frame WeCom answered with errcode != 0.
type APIError struct {
	Cmd  string // the command refused, e.g. "aibot_send_msg"
	Code int
	Msg  string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("wecom long connection: %s: %d %s", e.Cmd, e.Code, e.Msg)
}

// Retryable reports whether sending again later may work: WeCom's generic
// "system busy" (-1) and its rate limit (45009). Other codes need a fix.
func (e *APIError) Retryable() bool { return e.Code == -1 || e.Code == 45009 }

// A TransportError is a frame that got no answer: not connected, lost
// connection, timeout. Sending again may work.
type TransportError struct {
	Cmd string
	Err error
	// Unsent is true when the frame was never written, so it certainly did
	// not arrive; false when it was written but WeCom's answer is missing.
	Unsent bool
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("wecom long connection: %s: %v", e.Cmd, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// Retryable reports true: the frame may not have arrived.
func (e *TransportError) Retryable() bool { return true }
