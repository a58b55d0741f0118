// Package cardtest provides the fakes that the platforms' interactive-card
// tests share: an Actor that records taps, a Deduper in memory and a
// digest to send as a card. Only tests import it.
package cardtest

import (
	"context"
	"sync"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
)

// An Actor is a bot.CardActor that records the actions it is asked for and
// answers each with View. It is safe for concurrent use.
type Actor struct {
	// View decides the answer to one action; it runs under the Actor's
	// lock, in the order the actions arrive. Nil answers a zero view.
	View func(bot.CardAction) bot.CardView

	mu      sync.Mutex
	actions []bot.CardAction
}

var _ bot.CardActor = (*Actor)(nil)

// Act records c and returns View(c).
func (a *Actor) Act(_ context.Context, c bot.CardAction) (bot.CardView, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.actions = append(a.actions, c)
	if a.View == nil {
		return bot.CardView{}, nil
	}
	return a.View(c), nil
}

// Actions returns a copy of the actions recorded so far, oldest first.
func (a *Actor) Actions() []bot.CardAction {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]bot.CardAction(nil), a.actions...)
}

// A Dedup is a Deduper in memory whose keys never expire. It is safe for
// concurrent use; its zero value is ready.
type Dedup struct {
	mu   sync.Mutex
	seen map[string]bool
}

// FirstSeen records key and reports whether this call recorded it first.
func (d *Dedup) FirstSeen(_ context.Context, key string, _ time.Duration) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	first := !d.seen[key]
	d.seen[key] = true
	return first, nil
}

// Digest returns 住建局's reminder of n red key tasks numbered from 76.
func Digest(n int) handlers.Reply {
	r := handlers.Reply{Head: "住建局 今日督办提醒"}
	for i := range n {
		r.Tasks = append(r.Tasks, handlers.TaskAction{Table: kb.KeyTasks, No: 76 + i, Title: "老旧小区改造", Due: "8月31日", Light: "red", Unit: "住建局"})
	}
	return r
}
