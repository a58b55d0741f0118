// Package handlers turns one question into one answer: intent and entity
// recognition over the knowledge base's own names, follow-up context, and
// answer formatting for each platform. It is pure: no network, no store;
// follow-up state comes in on Question.Prev and goes out on Reply.Turn.
package handlers

import (
	"context"
	"strings"
	"time"

	"duban/kb"
)

// A Handler answers questions from one knowledge base.
type Handler struct {
	b   *kb.Base
	g   *gazetteer
	pre precomputed
	cfg Config
}

// Config tunes a Handler. The zero value is usable.
type Config struct {
	// Now is the clock for "本月到期", "已逾期". Default: time.Now.
	Now func() time.Time
	// PageSize is how many items a list shows before "更多". Default: 20.
	PageSize int
	// TextLen is how many characters of a task text an answer quotes. Default: 80.
	TextLen int
	// Status returns the reported status of a task (progress.Tracker's
	// Lookup). Default: nil, answers without statuses.
	Status func(t kb.Table, no int) (kb.Status, bool)
}

// New returns a Handler over b.
func New(b *kb.Base, cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 20
	}
	if cfg.TextLen <= 0 {
		cfg.TextLen = 80
	}
	return &Handler{b: b, g: newGazetteer(b), pre: precompute(b), cfg: cfg}
}

// Base returns the knowledge base h answers from.
func (h *Handler) Base() *kb.Base { return h.b }

// A Question is one message to answer.
type Question struct {
	Text string
	// Prev is the conversation's last turn, nil for none.
	Prev *Turn
	// Now overrides the handler's clock for this question (zero: the clock).
	Now time.Time
}

// query is a question after recognition.
type query struct {
	raw     string
	q       string // normalized
	en      bool
	nos     []int
	table   kb.Table
	scoped  bool
	fields  field
	units   []string
	persons []string
	now     time.Time
	prev    *Turn
	offset  int
}

// Answer resolves one question against the knowledge base. "Not found" is
// an answer too: it says what was looked for and what is known nearby.
func (h *Handler) Answer(ctx context.Context, question Question) Reply {
	q := h.parse(question)
	r := h.route(q)
	if r.Turn == nil {
		r.Turn = &Turn{}
	}
	if r.Turn.Query == "" && r.Turn.Intent == "" {
		r.Turn.Intent = r.Intent
	}
	return r
}

func (h *Handler) parse(question Question) *query {
	now := question.Now
	if now.IsZero() {
		now = h.cfg.Now()
	}
	n := normalize(question.Text)
	q := &query{raw: question.Text, q: n, en: isEnglish(n), now: now.In(kb.Location), prev: question.Prev}
	q.nos = taskNumbers(n)
	q.table, q.scoped = scope(n)
	q.fields = fields(n)
	q.units = find(n, h.g.units)
	q.persons = find(n, h.g.persons)
	return q
}

// route picks the intent. The order matters: explicit task numbers win,
// then named people and units, then dates, then the plan and notices, then
// keyword search, then cited passages.
func (h *Handler) route(q *query) Reply {
	t := strings.TrimSpace(q.q)
	switch {
	case t == "" || reHelp.MatchString(t):
		return h.help(q)
	case reMore.MatchString(t):
		return h.more(q)
	}
	if r, ok := h.followUp(q); ok {
		return r
	}
	if reCount.MatchString(q.q) && len(q.nos) == 0 && len(q.units) == 0 && len(q.persons) == 0 {
		return h.count(q)
	}
	if len(q.nos) > 0 && !h.isMeasureRef(q) {
		return h.tasks(q)
	}
	if r, ok := h.statusAnswers(q); ok {
		return r
	}
	if r, ok := h.people(q); ok {
		return r
	}
	if r, ok := h.dueList(q); ok {
		return r
	}
	if r, ok := h.unitTasks(q); ok {
		return r
	}
	if r, ok := h.planAnswers(q); ok {
		return r
	}
	if r, ok := h.goal(q); ok {
		return r
	}
	if r, ok := h.keyword(q); ok {
		return r
	}
	return h.search(q)
}
