// Package outbound is the one path a push takes to a group chat. A
// platform's Sender renders a reply into the messages its chat will
// receive (how many is the reply's cost in sends) and posts them one at a
// time; RateLimit wraps a Sender in the chat's sliding-window rate limit,
// shared across replicas through the store. The scheduler adds only its
// ledger, retries and backoff, so it knows nothing of any platform.
package outbound

import (
	"context"
	"errors"
	"fmt"

	"duban/handlers"
)

// A Message is one platform message, rendered. Render makes it and Post
// sends exactly it, so what the limiter charges, what a dry run previews
// and what the platform receives are the same message: a reply is
// rendered once, and a retry posts the same bytes again.
type Message struct {
	// Text is the content as the chat shows it (markdown or plain text),
	// for previews, the emulator and logs at debug level.
	Text string
	// Body is what Post sends in the platform's own format (the JSON of
	// the request or frame body), made by Render; nil for a sender that
	// posts Text as it is.
	Body []byte
}

// A Renderer turns replies into one chat's messages. It needs no
// credentials and does no I/O, so a dry run renders exactly what a run
// posts. Implementations are safe for concurrent use.
type Renderer interface {
	// Render returns the messages that carry r, in order, each one
	// platform message within the platform's size limit; their number is
	// r's cost in sends (rate-limit slots). A reply with nothing to say
	// gives no messages.
	Render(r handlers.Reply) []Message
	// Limit is the size in bytes of the largest message that carries r:
	// the platform's limit, which may depend on r (a WeCom webhook can @
	// by mobile only in text, 2,048 bytes instead of markdown's 4,096).
	// A digest is made compact enough to fit it.
	Limit(r handlers.Reply) int
}

// A Sender posts one chat's messages. The platforms implement it (WeCom
// webhook, appchat and 智能机器人; DingTalk custom robot; interactive
// cards); the scheduler takes one per chat and never guesses a format.
// Implementations are safe for concurrent use.
type Sender interface {
	Renderer
	// Post sends one message Render returned. A refusal is an error with
	// a Retryable() bool method (sending again later may work); a refusal
	// for sending too fast also has RateLimited() bool, and RetryAfter()
	// time.Duration when the platform blocks the chat for longer than a
	// minute (DingTalk's 10 minutes after 130101).
	Post(ctx context.Context, m Message) error
}

// ErrEmpty is Send's error for a reply that renders to no message: the
// platforms refuse empty content, and sending nothing is a caller bug.
var ErrEmpty = errors.New("outbound: empty reply")

// Send renders r with s and posts each message in order, stopping at the
// first failure: a push with no ledger behind it (late answers, one-off
// notices). The scheduler posts message by message instead, confirming
// each part it delivers.
func Send(ctx context.Context, s Sender, r handlers.Reply) error {
	msgs := s.Render(r)
	if len(msgs) == 0 {
		return ErrEmpty
	}
	for i, m := range msgs {
		if err := s.Post(ctx, m); err != nil {
			if len(msgs) > 1 {
				return fmt.Errorf("message %d of %d: %w", i+1, len(msgs), err)
			}
			return err
		}
	}
	return nil
}

// Blank reports whether every text in pieces is empty or white space, the
// test a Renderer uses to give no messages for an empty reply.
func Blank(pieces []string) bool {
	for _, p := range pieces {
		for _, c := range p {
			if c != ' ' && c != '\n' && c != '\t' && c != '\r' {
				return false
			}
		}
	}
	return true
}

// ErrDryRun is the error of a sender made by RenderOnly.
var ErrDryRun = errors.New("outbound: dry run, nothing is posted")

// RenderOnly returns a Sender that renders with r and posts nothing, for
// dry runs and previews that have no credentials.
func RenderOnly(r Renderer) Sender { return renderOnly{r} }

type renderOnly struct{ Renderer }

func (renderOnly) Post(context.Context, Message) error { return ErrDryRun }
