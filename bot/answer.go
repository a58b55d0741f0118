package bot

import (
	"context"
	"encoding/json"
	"time"

	"duban/handlers"
	"duban/store"
)

// DefaultTurnTTL is how long a conversation's follow-up context lives when
// Answer is given no ttl: long enough for "那它什么时候到期？" after a
// meeting break, short enough that tomorrow's question starts afresh.
const DefaultTurnTTL = 30 * time.Minute

// Answer returns the HandlerFunc at the end of every chain: it loads the
// conversation's last turn (JSON under m.ConversationKey()) from conv,
// asks h() and saves the reply's turn for ttl (default DefaultTurnTTL).
//
// h is called once per message so cmd can swap the knowledge base on
// reload (an atomic.Pointer's Load): a question sees one whole base,
// never a half-loaded one. A nil result fails with ErrNoHandler.
//
// now sets each question's time (nil: the handler's own clock). conv may
// be nil: no follow-ups.
//
// A message over its platform's length cap is refused politely (TooLong)
// before the handler sees it.
//
// A store error on load or save is logged (through Log's logger) and the
// question is still answered: losing a follow-up context is far better
// than leaving an official without an answer.
func Answer(h func() *handlers.Handler, conv store.Conversations, ttl time.Duration, now func() time.Time) HandlerFunc {
	if ttl <= 0 {
		ttl = DefaultTurnTTL
	}
	return func(ctx context.Context, m *Message) (handlers.Reply, error) {
		if r, long := TooLong(m); long {
			return r, nil
		}
		hd := h()
		if hd == nil {
			return handlers.Reply{}, ErrNoHandler
		}
		q := handlers.Question{Text: m.Text}
		if now != nil {
			q.Now = now()
		}
		key := m.ConversationKey()
		if conv != nil {
			q.Prev = loadTurn(ctx, conv, key)
		}
		r := hd.Answer(ctx, q)
		if conv != nil && r.Turn != nil { // nil keeps the previous turn
			saveTurn(ctx, conv, key, r.Turn, ttl)
		}
		return r, nil
	}
}

func loadTurn(ctx context.Context, conv store.Conversations, key string) *handlers.Turn {
	b, ok, err := conv.Get(ctx, key)
	if err != nil {
		loggerFrom(ctx).Warn("load conversation failed, answering without context", "err", err)
		return nil
	}
	if !ok {
		return nil
	}
	var t handlers.Turn
	if err := json.Unmarshal(b, &t); err != nil {
		// A turn written by an older version: forget it rather than fail.
		loggerFrom(ctx).Warn("bad stored conversation, ignoring it", "err", err)
		return nil
	}
	return &t
}

func saveTurn(ctx context.Context, conv store.Conversations, key string, t *handlers.Turn, ttl time.Duration) {
	b, err := json.Marshal(t)
	if err == nil {
		err = conv.Put(ctx, key, b, ttl)
	}
	if err != nil {
		loggerFrom(ctx).Warn("save conversation failed", "err", err)
	}
}
