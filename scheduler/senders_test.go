package scheduler

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"duban/handlers"
	"duban/outbound"
)

// testDialect is the format each chat type's real sender posts in, for
// the fakes: WeCom webhooks @ by mobile only in text.
func testDialect(typ string, mentions bool) handlers.Dialect {
	switch typ {
	case DingTalkWebhook:
		return handlers.DingTalkMarkdown
	case WeComAIBot:
		return handlers.WeComAIBot
	case WeComAppChat:
		return handlers.WeComText
	}
	if mentions {
		return handlers.WeComText
	}
	return handlers.WeComMarkdown
}

// A replyBook keeps the replies a fake sender rendered, so that a posted
// message (whose body names its reply and piece) gives back its reply.
type replyBook struct {
	mu sync.Mutex
	rs []handlers.Reply
}

// render renders r in d, one message per piece, each body "id/piece".
func (b *replyBook) render(r handlers.Reply, d handlers.Dialect) []outbound.Message {
	b.mu.Lock()
	id := len(b.rs)
	b.rs = append(b.rs, r)
	b.mu.Unlock()
	pieces := handlers.Render(r, d)
	out := make([]outbound.Message, len(pieces))
	for i, p := range pieces {
		out[i] = outbound.Message{Text: p, Body: fmt.Appendf(nil, "%d/%d", id, i)}
	}
	return out
}

// reply returns the reply and piece index m was rendered from.
func (b *replyBook) reply(m outbound.Message) (handlers.Reply, int) {
	id, piece, _ := strings.Cut(string(m.Body), "/")
	i, _ := strconv.Atoi(id)
	n, _ := strconv.Atoi(piece)
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rs[i], n
}

// replySender is the outbound.Sender of one chat for a fake that takes
// whole replies (push): it renders in the chat type's dialect, as the
// real senders do, and posting a reply's first message pushes the reply,
// the others being accepted with it: one push per part, as the fakes
// were written for.
type replySender struct {
	chat Chat
	book *replyBook
	push func(ctx context.Context, chat string, r handlers.Reply) error
}

func (s replySender) Render(r handlers.Reply) []outbound.Message {
	return s.book.render(r, testDialect(s.chat.Type, len(r.Mentions) > 0))
}

func (s replySender) Limit(r handlers.Reply) int {
	return testDialect(s.chat.Type, len(r.Mentions) > 0).Limit
}

func (s replySender) Post(ctx context.Context, m outbound.Message) error {
	r, piece := s.book.reply(m)
	if piece > 0 {
		return nil
	}
	return s.push(ctx, s.chat.Name, r)
}

// The chat types the fixtures use (cmd/duban's chattypes.go owns them):
// the scheduler only passes Chat.Type on, the fakes render by it.
const (
	WeComWebhook    = "wecom_webhook"
	WeComAppChat    = "wecom_appchat"
	DingTalkWebhook = "dingtalk_webhook"
	WeComAIBot      = "wecom_aibot"
)
