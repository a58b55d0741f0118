// Package report closes the 督办 loop in chat: it takes progress reports
// ("76号已完成", "76号进展：…", "撤销76号完成") and reviewers' decisions
// ("办结76号", "退回76号 原因") out of the question pipeline, checks who may
// make them, records them in the progress journal, and answers with the
// sentences package handlers composes. The same decisions arrive as card
// taps and confirmed links through Act (bot.CardActor). cmd/duban wires
// it; package bot knows nothing of progress.
package report

import (
	"context"
	"slices"
	"sync"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
	"duban/progress"
	"duban/store"
)

// IDTTL is how long a message ID that recorded a report is remembered: far
// past any platform retry or signature window (bot.DefaultDedupTTL), so no
// replay records a report twice even after Dedup forgot the ID.
const IDTTL = 7 * 24 * time.Hour

// PendingTTL is how long a report waiting for "确认" is kept: long enough to
// read the question and answer, short enough that a stray "好的" tomorrow
// records nothing.
const PendingTTL = 10 * time.Minute

// Config wires a Reporter. Tracker and Base are required.
type Config struct {
	Tracker *progress.Tracker
	// ChatUnits maps a message's ChatID to the units the chat speaks for
	// (config chats[].units, looked up by conversation_ids or, for cards
	// and links, by the chat's name).
	ChatUnits func(chatID string) []string
	// NamedUnits maps a configured chat's name to its units, for taps on
	// signed links (CardAction.Platform "link"), which name the chat the
	// link was sent to. Nil: ChatUnits.
	NamedUnits func(name string) []string
	// Base returns the current knowledge base (nil while none is loaded).
	Base func() *kb.Base
	// Pending keeps a report awaiting "确认" per chat and user; with nil,
	// an ambiguous report is answered with a request to restate it.
	Pending store.Conversations
	// Seen makes recording need a message ID never seen before (kept for
	// IDTTL), apart from Dedup, which answers questions even when the store
	// fails and forgets sooner. With nil (tests) only Dedup guards.
	Seen store.Deduper
	// Review is 办结审核; the zero value switches it off.
	Review Review
	// Notify delivers a review request to a configured chat by name
	// (bot.Outbox.Push); nil sends none.
	Notify func(ctx context.Context, chat string, r handlers.Reply) error
	// Cards update a unit's tapped card when the reviewer decides, by
	// CardAction.Platform; the handles are kept in Pending. Nil: a card
	// keeps what the tap left on it.
	Cards map[string]CardUpdater
}

// Review configures 办结审核 (config `review:`). Off, a unit's 已完成 is
// recorded as done at once, as before review existed.
type Review struct {
	Enabled bool
	// Chats are the chat IDs (conversation IDs, or a configured chat's
	// name for cards and links) whose members review.
	Chats []string
	// Users are user IDs or names who review from any chat.
	Users []string
	// Notify are the configured chat names review requests are pushed to.
	Notify []string
	// Name is the reviewer as bylines show it. Default: 督查办.
	Name string
}

// A Reporter records reports and decisions. It is safe for concurrent use.
type Reporter struct {
	cfg Config

	mu    sync.RWMutex
	cards map[string]CardUpdater // Config.Cards, then UpdateCardsWith's
}

// New returns a Reporter.
func New(cfg Config) *Reporter {
	if cfg.Review.Name == "" {
		cfg.Review.Name = "督查办"
	}
	rp := &Reporter{cfg: cfg, cards: map[string]CardUpdater{}}
	for p, u := range cfg.Cards {
		rp.cards[p] = u
	}
	return rp
}

// UpdateCardsWith adds the updater of platform's cards (as Config.Cards):
// cmd/duban builds the platforms after the Reporter.
func (rp *Reporter) UpdateCardsWith(platform string, u CardUpdater) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	rp.cards[platform] = u
}

func (rp *Reporter) cardUpdater(platform string) CardUpdater {
	rp.mu.RLock()
	defer rp.mu.RUnlock()
	return rp.cards[platform]
}

// Reports is the middleware of a Reporter without review: see
// Reporter.Middleware.
func Reports(tr *progress.Tracker, chatUnits func(chatID string) []string, base func() *kb.Base, pending store.Conversations, seen store.Deduper) bot.Middleware {
	return New(Config{Tracker: tr, ChatUnits: chatUnits, Base: base, Pending: pending, Seen: seen}).Middleware()
}

// reviewer reports whether a message or tap from chat by user (ID and
// name) may decide reviews.
func (rp *Reporter) reviewer(chat, userID, userName string) bool {
	rv := rp.cfg.Review
	if !rv.Enabled {
		return false
	}
	if chat != "" && slices.Contains(rv.Chats, chat) {
		return true
	}
	return (userID != "" && slices.Contains(rv.Users, userID)) || (userName != "" && slices.Contains(rv.Users, userName))
}

func (rp *Reporter) units(chat string) []string {
	if rp.cfg.ChatUnits == nil {
		return nil
	}
	return rp.cfg.ChatUnits(chat)
}

// claimState is what a unit's 已完成 is recorded as.
func (rp *Reporter) claimState() kb.State {
	if rp.cfg.Review.Enabled {
		return kb.Claimed
	}
	return kb.Done
}
