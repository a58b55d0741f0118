package main

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"duban/bot/emulator"
	"duban/bot/metrics"
	"duban/handlers"
	"duban/kb"
	"duban/kb/ingest"
	"duban/progress"
)

// kbState holds the current knowledge base and its handler. A reload builds
// both anew and swaps the pointer, so a question is answered wholly from
// one version.
type kbState struct {
	lib     *ingest.Library
	handler atomic.Pointer[handlers.Handler]
	m       *metrics.Metrics
	log     *slog.Logger
	// onChange is called after each successful swap (the scheduler restarts
	// on the new base).
	onChange func(*kb.Base)
	// status looks up a task's reported status for answers.
	status func(kb.Table, int) (kb.Status, bool)
	// light and urges give answers each task's colour and urge count
	// (supervise.go); nil: none.
	light func(*kb.Record, time.Time) string
	urges func(kb.Table, int) int
}

func newKBState(dir string, m *metrics.Metrics, log *slog.Logger) *kbState {
	return &kbState{lib: ingest.NewLibrary(dir), m: m, log: log}
}

// indexDir is where cfg keeps the full-text index: kb.index_dir, else
// beside the embedded store's data when a config file is given; "" keeps
// it in memory (no config, or index_dir: memory).
func indexDir(cfg *config) string {
	switch {
	case cfg.KB.IndexDir == "memory":
		return ""
	case cfg.KB.IndexDir != "":
		return cfg.rel(cfg.KB.IndexDir)
	case cfg.path != "":
		return filepath.Join(cfg.rel(cfg.DataDir), "index")
	}
	return ""
}

// openIndexes keeps the full-text index in dir (before the first load), so
// a start re-indexes only the documents that changed. An index directory
// that cannot be opened is never fatal: the index is kept in memory. The
// returned func closes the index.
func (s *kbState) openIndexes(dir string) (close func()) {
	if dir == "" {
		return func() {}
	}
	st, err := kb.OpenIndexStore(dir, s.log)
	if err != nil {
		s.log.Warn("full-text index kept in memory: its directory cannot be used", "dir", dir, "err", err)
		return func() {}
	}
	s.lib.Options.Indexes = st
	return func() {
		if err := st.Close(); err != nil {
			s.log.Warn("full-text index close", "err", err)
		}
	}
}

// logIndexed says, once the base's full-text indexes are up to date, what
// that took: how many documents were kept from disk and re-indexed.
func (s *kbState) logIndexed(b *kb.Base) {
	if err := b.WaitIndexed(); errors.Is(err, kb.ErrIndexStopped) {
		return // serve is stopping
	} else if err != nil {
		s.log.Error("full-text index failed: searches find no passages", "err", err)
		return
	}
	p, r := b.IndexStats()
	s.log.Info("full-text index ready", "docs_kept", p.Kept, "docs_indexed", p.Added, "docs_removed", p.Removed,
		"passages_indexed", p.Passages, "records_indexed", r.Passages, "took", max(p.Took, r.Took).Round(time.Millisecond))
}

// load reads the folder the first time; it fails only when nothing loaded.
func (s *kbState) load(ctx context.Context) error {
	_, err := s.lib.Reload(ctx)
	if s.lib.Base() == nil {
		return err
	}
	if err != nil {
		s.log.Error("some documents failed to load; they are left out", "err", err)
	}
	s.swap(s.lib.Base())
	return nil
}

func (s *kbState) swap(b *kb.Base) {
	s.handler.Store(handlers.New(b, handlers.Config{Status: s.status, Light: s.light, Urges: s.urges, EffectiveDue: progress.EffectiveDue}))
	counts := map[string]int{}
	for _, r := range b.Records() {
		counts[string(r.Table)]++
	}
	if s.m != nil {
		s.m.KBLoaded(counts, len(b.Contents().Passages), b.Loaded())
	}
	s.log.Info("knowledge base loaded", "records", len(b.Records()), "passages", len(b.Contents().Passages), "docs", len(b.Contents().Docs))
	go s.logIndexed(b)
	if s.onChange != nil {
		s.onChange(b)
	}
}

// current returns the handler of the latest base.
func (s *kbState) current() *handlers.Handler { return s.handler.Load() }

// watch reloads on the poll interval and on SIGHUP.
func (s *kbState) watch(ctx context.Context, every time.Duration, hup <-chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	lastErr := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-hup:
			s.log.Info("reloading documents (SIGHUP)")
		}
		changed, err := s.lib.Reload(ctx)
		// A broken document stays broken until someone fixes it: say so
		// once, not at every poll.
		if msg := errText(err); msg != lastErr {
			if err != nil {
				s.log.Error("document reload: previous versions kept", "err", err)
			} else {
				s.log.Info("document reload: every document loads again")
			}
			lastErr = msg
		}
		if changed && s.lib.Base() != nil {
			s.swap(s.lib.Base())
		}
	}
}

// ready reports whether documents are loaded; failed documents are listed
// in /readyz details but do not make the server unready.
func (s *kbState) ready(context.Context) error {
	if s.current() == nil {
		return errNotLoaded
	}
	return nil
}

// summary describes the base for the emulator's knowledge-base page.
func (s *kbState) summary() emulator.KBSummary {
	h := s.current()
	if h == nil {
		return emulator.KBSummary{}
	}
	b := h.Base()
	c := b.Contents()
	st := s.lib.Status()
	sum := emulator.KBSummary{Loaded: b.Loaded(), Passages: len(c.Passages), Errors: st.Errors}
	for _, d := range c.Docs {
		sum.Docs = append(sum.Docs, emulator.Doc{File: d.File, Title: d.Title})
	}
	// The tables the documents hold, as the registry names them: another
	// county's tables are not the seeds'.
	for _, t := range b.Tables() {
		if n := b.Count(t.ID); n > 0 {
			sum.Tables = append(sum.Tables, emulator.TableCount{Name: string(t.ID), Title: t.Title, Count: n})
		}
	}
	for _, u := range b.Units() {
		sum.Units = append(sum.Units, emulator.NameCount{Name: u, Count: len(b.ByUnit(u, true)), Note: strings.Join(b.UnitAliases(u)[1:], "、")})
	}
	for _, sec := range b.Check().Sections() {
		sum.Check = append(sum.Check, emulator.CheckSection{Title: sec.Title, Lines: sec.Lines})
	}
	for _, p := range b.Persons() {
		note := ""
		if l, ok := b.Leader(p); ok {
			note = "分管：" + strings.Join(l.Oversees, "、")
		}
		sum.Leaders = append(sum.Leaders, emulator.NameCount{Name: p, Count: len(b.ByLeader(p)), Note: note})
	}
	sort.SliceStable(sum.Units, func(i, j int) bool { return sum.Units[i].Count > sum.Units[j].Count })
	sort.SliceStable(sum.Leaders, func(i, j int) bool { return sum.Leaders[i].Count > sum.Leaders[j].Count })
	for _, w := range c.Warnings {
		sum.Warnings = append(sum.Warnings, w.String())
	}
	for _, sk := range st.Skipped {
		sum.Warnings = append(sum.Warnings, "skipped "+sk.File+": "+sk.Reason)
	}
	return sum
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
