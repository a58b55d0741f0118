// Package handlers turns one question into one answer. The question is
// folded (kb/textnorm), tagged against the lexicon (lexicon/*.tsv) and a
// gazetteer of the loaded documents' names, read into a typed Frame, and
// answered by the intent that scores the frame best (registry.go). It is
// pure: no network, no store; follow-up state comes in on Question.Prev
// and goes out on Reply.Turn.
package handlers

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"time"

	"duban/kb"
	"duban/kb/textnorm"
)

// A Handler answers questions from one knowledge base.
type Handler struct {
	b      *kb.Base
	g      *gazetteer
	pre    precomputed
	tables []kb.TableInfo
	cfg    Config
	// weights remembers term and character weights (keyword.go); the
	// base is immutable, so they never change.
	weights sync.Map
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
	// Light returns a task's colour at now as progress.LightOf names it
	// ("red", "yellow", "green", "done"); lists open each line with it
	// (standing.go). Default: nil, no colours.
	Light func(r *kb.Record, now time.Time) string
	// Urges returns how often a task was urged (催办); a task answer says
	// 已催办2次. Default: nil.
	Urges func(t kb.Table, no int) int
	// EffectiveDue returns the date a task due on due is due now that its
	// status is s (progress.EffectiveDue: an approved extension's date, if
	// any). Overdue lists, days overdue and 状态 lines count from it, and
	// an answer shows both dates. Default: nil, the document's date.
	EffectiveDue func(due *kb.Date, s kb.Status) *kb.Date
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
	h := &Handler{b: b, pre: precompute(b), cfg: cfg}
	h.tables = tableRegistry(b)
	h.g = newGazetteer(b, h.pre.corpus)
	h.g.bigrams = h.pre.bigrams
	h.g.addTables(h.tables)
	return h
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

// query is a question after recognition: the frame plus what the intents
// derive from it.
type query struct {
	ctx     context.Context
	raw     string
	q       string // folded
	f       *Frame
	en      bool
	nos     []int
	table   kb.Table
	scoped  bool
	tables  []kb.Table // several tables named: lists keep to them
	fields  field
	units   []string
	persons []string
	now     time.Time
	prev    *Turn
	offset  int
}

// maxQuestion bounds the text a question is read from: a pasted document
// is not a question, and every stage stays linear below it.
const maxQuestion = 20000

var reMention = regexp.MustCompile(`@[^\s@]{1,30}\s+|@[^\s@]{1,30}$`)

// Answer resolves one question against the knowledge base. "Not found" is
// an answer too: it says what was looked for and what is known nearby.
// Reply.Explain carries the frame and the intents' scores.
func (h *Handler) Answer(ctx context.Context, question Question) Reply {
	q := h.parse(ctx, question)
	r, ex := h.route(q)
	r.Explain = ex
	// say how a mistyped name was read, so a wrong guess is seen at once
	if len(q.f.Corrected) > 0 && !r.NotFound {
		line := "（按" + strings.Join(q.f.Corrected, "、") + "理解）"
		if q.en {
			line = "(read as " + strings.Join(q.f.Corrected, ", ") + ")"
		}
		r.Lines = append(r.Lines, line)
	}
	if r.Turn == nil {
		r.Turn = &Turn{}
	}
	if r.Turn.Query == "" && r.Turn.Intent == "" {
		r.Turn.Intent = r.Intent
	}
	return r
}

// Understand returns the frame of a question without answering it.
func (h *Handler) Understand(question Question) *Frame {
	return h.parse(context.Background(), question).f
}

func (h *Handler) parse(ctx context.Context, question Question) *query {
	now := question.Now
	if now.IsZero() {
		now = h.cfg.Now()
	}
	raw := question.Text
	if len(raw) > maxQuestion {
		raw = raw[:maxQuestion]
	}
	n := strings.TrimSpace(reMention.ReplaceAllString(textnorm.Fold(raw), ""))
	q := &query{ctx: ctx, raw: question.Text, q: n, now: now.In(kb.Location), prev: question.Prev}
	q.f = h.frame(n, q.now)
	q.en = q.f.English
	for _, r := range q.f.Refs {
		q.nos = append(q.nos, r.No)
	}
	q.table, q.scoped = h.scopeOf(q.f)
	if !q.scoped {
		q.tables = h.tablesNamed(q.f)
	}
	q.f.Window = timeWindow(q.f, q.now, h.planYear(q.table, q.scoped, q.now))
	q.fields = q.f.fields
	q.units = q.f.Units
	q.persons = q.f.Persons
	return q
}
