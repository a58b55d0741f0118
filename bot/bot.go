// Package bot is the platform-neutral plumbing between chat platforms and
// the question handlers: the inbound Message, the HandlerFunc pipeline and
// its middleware, and the outbound Sender interface. The platforms live in
// sub-packages (bot/wecom, bot/dingtalk); bot never imports them.
package bot

import (
	"context"

	"duban/handlers"
)

// Platform names used in Message.Platform, logs and metrics.
const (
	WeComApp     = "wecom_app"
	WeComAIBot   = "wecom_aibot"
	DingTalk     = "dingtalk"
	DingTalkStrm = "dingtalk_stream"
	Emulator     = "emulator"
)

// A Message is one inbound question, already verified and decrypted.
type Message struct {
	Platform string
	ID       string // the platform's message ID, for de-duplication
	ChatID   string // group or conversation ID; "" for a 1:1 chat
	ChatType string // "group" or "single"
	UserID   string // sender's user or staff ID
	UserName string
	Text     string // the question with @-mentions stripped
	// Quote is the text of the message this one replies to (DingTalk
	// text.repliedMsg, WeCom quote), "" when it quotes none: a reply to a
	// reminder line reports on that line's task.
	Quote string
}

// ConversationKey identifies the chat and user whose follow-ups belong together.
func (m *Message) ConversationKey() string {
	return m.Platform + "|" + m.ChatID + "|" + m.UserID
}

// A HandlerFunc answers one message. The platform package delivers the
// Reply (passive response, sessionWebhook, app message).
type HandlerFunc func(ctx context.Context, m *Message) (handlers.Reply, error)

// A Middleware wraps a HandlerFunc.
type Middleware func(HandlerFunc) HandlerFunc

// Chain returns h wrapped so that Chain(h, a, b) calls a, then b, then h.
func Chain(h HandlerFunc, mw ...Middleware) HandlerFunc {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// A Sender delivers a reply to one group chat (webhook, appchat, robot).
// Implementations render the reply in their dialect, split it at their size
// limit and return a typed error (with Retryable) when the platform refuses.
type Sender interface {
	Send(ctx context.Context, r handlers.Reply) error
}

// A RetryableError tells the scheduler whether sending again later may work.
type RetryableError interface {
	error
	Retryable() bool
}
