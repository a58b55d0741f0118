package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"duban/handlers"
	"duban/outbound"
)

// A Pusher gives the outbound sender of each configured chat; cmd wires
// it from the platforms. The scheduler renders each push with the chat's
// own sender (how many messages it makes is the push's cost in sends; its
// Limit is the size a digest is made to fit) and posts through
// outbound.RateLimit, so it knows no platform. A dry run may give senders
// that only render (outbound.RenderOnly).
type Pusher interface {
	// Sender returns the sender of chat c (c.Name names it, c.Type and the
	// rest are its configuration), and false when it has none. New calls
	// it once per chat.
	Sender(c Chat) (outbound.Sender, bool)
}

// ErrNoSender is a push's error for a chat whose Pusher gave no sender.
var ErrNoSender = errors.New("no sender for this chat")

// sendersOf looks up each chat's sender once, at New. A chat without one
// (no Pusher: a scheduler that only plans) renders as plain text with no
// size limit and fails to post; with a Pusher that is a wiring mistake,
// logged at once rather than at the first tick.
func sendersOf(p Pusher, chats []Chat, log *slog.Logger) []outbound.Sender {
	out := make([]outbound.Sender, len(chats))
	for i, c := range chats {
		if p != nil {
			if s, ok := p.Sender(c); ok && s != nil {
				out[i] = s
				continue
			}
			log.Warn("reminders: chat has no sender that renders for itself; its pushes fail", "chat", c.Name, "type", c.Type)
		}
		out[i] = noSender{chat: c.Name}
	}
	return out
}

// noSender stands in for a chat without a sender.
type noSender struct{ chat string }

func (noSender) Render(r handlers.Reply) []outbound.Message {
	var out []outbound.Message
	for _, p := range handlers.Render(r, handlers.Plain) {
		if p != "" {
			out = append(out, outbound.Message{Text: p})
		}
	}
	return out
}

func (noSender) Limit(handlers.Reply) int { return 0 }

func (n noSender) Post(context.Context, outbound.Message) error {
	return fmt.Errorf("chat %q: %w", n.chat, ErrNoSender)
}
