package linkpage

import (
	"context"
	"strings"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/outbound"
)

// DefaultTTL is how long a link works: a reminder read on Monday can be
// confirmed through the week, and no link outlives the next week's
// reminder, which carries fresh ones.
const DefaultTTL = 7 * 24 * time.Hour

// Links makes the links of a reply's tasks for one deployment.
type Links struct {
	Signer  *Signer
	BaseURL string        // https://duban.example.gov.cn: where the page is reachable from phones
	Prefix  string        // the page's path; default /l/
	TTL     time.Duration // default DefaultTTL
	Now     func() time.Time
	// Allow says whether chat may do verb on a's task, so a digest carries
	// no link that would only be refused (a co-unit's copy of a task its
	// lead unit reports). Nil allows every link; the page checks again.
	Allow func(chat string, a handlers.TaskAction, verb string) bool
}

// URL is the signed link of verb on a's task for chat, "" when it cannot
// be signed.
func (l *Links) URL(chat string, a handlers.TaskAction, verb string) string {
	if l.Allow != nil && !l.Allow(chat, a, verb) {
		return ""
	}
	now, ttl, prefix := time.Now, l.TTL, l.Prefix
	if l.Now != nil {
		now = l.Now
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	if prefix == "" {
		prefix = "/l/"
	}
	tok, err := l.Signer.Sign(Token{Table: string(a.Table), No: a.No, Chat: chat, Verb: verb, Expires: now().Add(ttl)})
	if err != nil {
		return ""
	}
	return strings.TrimRight(l.BaseURL, "/") + prefix + tok
}

// Decorate returns r with the links of its tasks for chat
// (handlers.WithActionLinks).
func (l *Links) Decorate(chat string, r handlers.Reply) handlers.Reply {
	return handlers.WithActionLinks(r, func(a handlers.TaskAction, verb string) string { return l.URL(chat, a, verb) })
}

// Wrap returns s rendering every reply with its tasks' links for chat: the
// sender of a webhook-only chat. A reply is rendered once per push, so
// what the limiter counts and what is posted carry the same links. The
// result is also a bot.Sender (Send renders and posts every message), for
// pushes outside the scheduler such as review requests.
func Wrap(s outbound.Sender, chat string, l *Links) *Linked {
	return &Linked{Sender: s, chat: chat, l: l}
}

// A Linked is a Sender whose replies carry their tasks' links.
type Linked struct {
	outbound.Sender
	chat string
	l    *Links
}

var _ bot.Sender = (*Linked)(nil)

// Render renders r with its tasks' links.
func (k *Linked) Render(r handlers.Reply) []outbound.Message {
	return k.Sender.Render(k.l.Decorate(k.chat, r))
}

// Limit is the wrapped sender's.
func (k *Linked) Limit(r handlers.Reply) int { return k.Sender.Limit(r) }

// Send renders r with its links and posts each message in order.
func (k *Linked) Send(ctx context.Context, r handlers.Reply) error {
	return outbound.Send(ctx, k, r)
}
