package scheduler

import (
	"context"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"duban/handlers"
	"duban/outbound"
)

// endpoint is a fake group-robot service on the test's clock, as strict as
// the real ones: at most limit messages per chat in any window (a post
// beyond is refused as too fast), and after a refusal for sending too fast
// the robot stays blocked for the platform's penalty (WeCom: the minute;
// DingTalk: 10 minutes), refusing every post meanwhile. It splits a reply
// at dialect's limit, one message per piece, and can fail chosen posts.
type endpoint struct {
	now     func() time.Time
	limit   int
	window  time.Duration
	dialect handlers.Dialect
	typeOf  func(chat string) string
	// fail decides a post's injected error; n counts posts to chat from 1.
	fail func(chat string, n int) error

	mu       sync.Mutex
	posts    map[string]int         // attempts per chat
	accepted map[string][]time.Time // accepted message times per chat
	blocked  map[string]time.Time   // chat → end of its penalty
	got      []delivery             // accepted messages
	// tooFast counts posts refused because the caller broke the limit;
	// inBlock posts made during a penalty. A correct sender makes neither.
	tooFast, inBlock int
	// injectedLimits counts the refusals fail injected.
	injectedLimits int
}

func newEndpoint(now func() time.Time, typeOf func(string) string) *endpoint {
	return &endpoint{now: now, limit: 20, window: time.Minute, dialect: handlers.WeComMarkdown, typeOf: typeOf,
		posts: map[string]int{}, accepted: map[string][]time.Time{}, blocked: map[string]time.Time{}}
}

// rateErr is the platforms' refusal for sending too fast.
type rateErr struct {
	code int
	wait time.Duration
}

func (e rateErr) Error() string                 { return fmt.Sprintf("errcode %d: send too fast", e.code) }
func (e rateErr) Retryable() bool               { return true }
func (e rateErr) RateLimited() bool             { return true }
func (e rateErr) RetryAfter() (d time.Duration) { return e.wait }

// refusal returns the platform's rate-limit refusal for chat.
func (e *endpoint) refusal(chat string) rateErr {
	if e.typeOf(chat) == DingTalkWebhook {
		return rateErr{code: 130101, wait: 10 * time.Minute}
	}
	return rateErr{code: 45009, wait: time.Minute}
}

// Sender implements Pusher: a chat's sender splits a reply at dialect's
// limit and posts each piece on its own; a digest is made to fit the
// chat type's message.
func (e *endpoint) Sender(c Chat) (outbound.Sender, bool) {
	return &endpointSender{e: e, chat: c, post: e.post}, true
}

// endpointSender is one chat's sender to an endpoint; post may be a
// replica's view of it (stop_test.go).
type endpointSender struct {
	e    *endpoint
	chat Chat
	book replyBook
	post func(chat string, r handlers.Reply, piece string) error
}

func (s *endpointSender) Render(r handlers.Reply) []outbound.Message {
	return s.book.render(r, s.e.dialect)
}

func (s *endpointSender) Limit(r handlers.Reply) int {
	return testDialect(s.chat.Type, len(r.Mentions) > 0).Limit
}

func (s *endpointSender) Post(ctx context.Context, m outbound.Message) error {
	r, _ := s.book.reply(m)
	return s.post(s.chat.Name, r, m.Text)
}

func (e *endpoint) post(chat string, r handlers.Reply, piece string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	e.posts[chat]++
	if until, ok := e.blocked[chat]; ok && now.Before(until) {
		e.inBlock++
		return e.refusal(chat)
	}
	n := 0
	for _, t := range e.accepted[chat] {
		if now.Sub(t) < e.window {
			n++
		}
	}
	if n >= e.limit {
		e.tooFast++
		ref := e.refusal(chat)
		e.blocked[chat] = now.Add(ref.wait)
		return ref
	}
	if e.fail != nil {
		if err := e.fail(chat, e.posts[chat]); err != nil {
			if ref, ok := err.(rateErr); ok {
				e.injectedLimits++
				e.blocked[chat] = now.Add(ref.wait)
			}
			return err
		}
	}
	e.accepted[chat] = append(e.accepted[chat], now)
	e.got = append(e.got, delivery{at: now, chat: chat, reply: r})
	return nil
}

// maxInWindow returns the most messages any chat had accepted within one
// window, and that chat.
func (e *endpoint) maxInWindow() (int, string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	best, who := 0, ""
	for chat, ts := range e.accepted {
		j := 0
		for i := range ts {
			for ts[i].Sub(ts[j]) >= e.window {
				j++
			}
			if i-j+1 > best {
				best, who = i-j+1, chat
			}
		}
	}
	return best, who
}

func (e *endpoint) deliveries() []delivery {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]delivery(nil), e.got...)
}

// chaos fails a pseudo-random share of posts, the same ones on every run:
// per mille busy (retryable), limited (the platform's rate-limit refusal)
// and bad (not retryable: the chat's rest is released for the next run).
func chaos(e *endpoint, busy, limited, bad uint32) func(chat string, n int) error {
	return func(chat string, n int) error {
		h := fnv.New32a()
		fmt.Fprintf(h, "%s#%d", chat, n)
		switch x := h.Sum32() % 1000; {
		case x < busy:
			return errBusy
		case x < busy+limited:
			return e.refusal(chat)
		case x < busy+limited+bad:
			return errBadKey
		}
		return nil
	}
}
