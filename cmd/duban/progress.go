package main

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync/atomic"

	"duban/bot"
	"duban/bot/report"
	"duban/handlers"
	"duban/kb"
	"duban/kb/names"
	"duban/progress"
	"duban/store"
)

// progressWiring is the status loop of `duban serve`: the tracker over the
// store's journal, the middleware that takes reports and reviews out of
// the question pipeline, and the same Reporter as the actor of card taps
// and confirmed links.
type progressWiring struct {
	tracker    *progress.Tracker
	reporter   *report.Reporter
	middleware bot.Middleware
	// outbox delivers review requests once wirePlatforms built it.
	outbox atomic.Pointer[bot.Outbox]
}

var errNoOutbox = errors.New("review request: senders not built yet")

// wireProgress builds the tracker over st and the Reporter. The chats that
// may report are config chats[] by conversation_ids (a chat without
// conversation_ids is known by its name, as the emulator names it); link
// taps name the chat the link was sent to. Reports go to the tracker;
// answers and reminders read its Lookup.
func wireProgress(cfg *config, st store.Store, state *kbState, log *slog.Logger) *progressWiring {
	tr := progress.New(st, progress.Config{Logger: log})
	base := stateBase(state)
	pw := &progressWiring{tracker: tr}
	pw.reporter = report.New(report.Config{
		Tracker:    tr,
		ChatUnits:  chatUnits(cfg.Chats),
		NamedUnits: namedUnits(cfg.Chats),
		Base:       base,
		Pending:    st,
		Seen:       st,
		Review:     cfg.Review.reportReview(cfg.Chats),
		Notify: func(ctx context.Context, chat string, r handlers.Reply) error {
			o := pw.outbox.Load()
			if o == nil {
				return errNoOutbox
			}
			return o.Push(ctx, chat, r)
		},
	})
	pw.middleware = pw.reporter.Middleware()
	return pw
}

// stateBase returns the current knowledge base of state, nil while none
// is loaded.
func stateBase(state *kbState) func() *kb.Base {
	return func() *kb.Base {
		if h := state.current(); h != nil {
			return h.Base()
		}
		return nil
	}
}

// chatUnits maps an inbound conversation ID to the canonical units of every
// configured chat that names it in conversation_ids, or, for a chat with
// none, by its name.
func chatUnits(chats []chatConfig) func(chatID string) []string {
	m := map[string][]string{}
	for _, c := range chats {
		if len(c.ConversationIDs) == 0 {
			addUnits(m, c.Name, c.Units)
		}
		for _, id := range c.ConversationIDs {
			addUnits(m, id, c.Units)
		}
	}
	return lookupUnits(m)
}

// namedUnits maps a configured chat's name to its canonical units: the
// chat a signed link was sent to.
func namedUnits(chats []chatConfig) func(name string) []string {
	m := map[string][]string{}
	for _, c := range chats {
		addUnits(m, c.Name, c.Units)
	}
	return lookupUnits(m)
}

func addUnits(m map[string][]string, id string, units []string) {
	for _, u := range units {
		if cu := names.Unit(u); cu != "" && !slices.Contains(m[id], cu) {
			m[id] = append(m[id], cu)
		}
	}
}

func lookupUnits(m map[string][]string) func(string) []string {
	return func(id string) []string {
		if id == "" {
			return nil
		}
		return m[id]
	}
}
