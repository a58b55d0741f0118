package linkpage

import (
	"strings"
	"time"

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
}

// URL is the signed link of verb on a's task for chat, "" when it cannot
// be signed.
func (l *Links) URL(chat string, a handlers.TaskAction, verb string) string {
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
// what the limiter counts and what is posted carry the same links.
func Wrap(s outbound.Sender, chat string, l *Links) outbound.Sender {
	return &linked{Sender: s, chat: chat, l: l}
}

type linked struct {
	outbound.Sender
	chat string
	l    *Links
}

func (k *linked) Render(r handlers.Reply) []outbound.Message {
	return k.Sender.Render(k.l.Decorate(k.chat, r))
}

func (k *linked) Limit(r handlers.Reply) int { return k.Sender.Limit(r) }
