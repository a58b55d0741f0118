package main

import (
	"log/slog"
	"slices"

	"duban/bot"
	"duban/kb"
	"duban/kb/names"
	"duban/progress"
	"duban/store"
)

// progressWiring is the status loop of `duban serve`: the tracker over the
// store's journal, and the middleware that takes reports out of the
// question pipeline.
type progressWiring struct {
	tracker    *progress.Tracker
	middleware bot.Middleware
}

// wireProgress builds the tracker over st and the Reports middleware. The
// chats that may report are config chats[] by conversation_ids (a chat
// without conversation_ids is known by its name, as the emulator names
// it). Reports go to the tracker; answers and reminders read its Lookup.
func wireProgress(cfg *config, st store.Store, state *kbState, log *slog.Logger) progressWiring {
	tr := progress.New(st, progress.Config{Logger: log})
	base := func() *kb.Base {
		h := state.current()
		if h == nil {
			return nil
		}
		return h.Base()
	}
	return progressWiring{
		tracker:    tr,
		middleware: bot.Reports(tr, chatUnits(cfg.Chats), base, st, st),
	}
}

// chatUnits maps an inbound conversation ID to the canonical units of every
// configured chat that names it in conversation_ids, or, for a chat with
// none, by its name.
func chatUnits(chats []chatConfig) func(chatID string) []string {
	m := map[string][]string{}
	add := func(id string, units []string) {
		for _, u := range units {
			if cu := names.Unit(u); cu != "" && !slices.Contains(m[id], cu) {
				m[id] = append(m[id], cu)
			}
		}
	}
	for _, c := range chats {
		if len(c.ConversationIDs) == 0 {
			add(c.Name, c.Units)
		}
		for _, id := range c.ConversationIDs {
			add(id, c.Units)
		}
	}
	return func(chatID string) []string {
		if chatID == "" {
			return nil
		}
		return m[chatID]
	}
}
