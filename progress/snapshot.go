package progress

import (
	"context"

	"duban/kb"
)

// Lookup returns the status in force of task (t, no) from the snapshot, in
// its Display form (a plain, capped note; the history keeps the note as
// written), and false when the task has no report (it is 未开始). Its signature is the
// Status hook of handlers.Config and scheduler.Config.
//
// Lookup answers from memory. When the snapshot is older than Config.TTL,
// one caller reloads it (bounded by Config.RefreshTimeout) while the
// others keep answering from the old one; the first call ever waits for
// the first load. A failed reload is logged and the old snapshot kept, so
// a Redis outage degrades answers to slightly stale statuses, never to
// errors.
func (tr *Tracker) Lookup(t kb.Table, no int) (kb.Status, bool) {
	s := tr.snap.Load()
	if s == nil {
		tr.mu.Lock()
		if s = tr.snap.Load(); s == nil {
			s = tr.reloadLocked()
		}
		tr.mu.Unlock()
	} else if tr.cfg.Now().Sub(s.at) >= tr.cfg.TTL && tr.mu.TryLock() {
		s = tr.reloadLocked()
		tr.mu.Unlock()
	}
	st, ok := s.m[Key{t, no}]
	return st, ok
}

// reloadLocked reloads the snapshot; tr.mu is held. It never returns nil.
func (tr *Tracker) reloadLocked() *snapshot {
	ctx, cancel := context.WithTimeout(context.Background(), tr.cfg.RefreshTimeout)
	defer cancel()
	old := tr.snap.Load()
	m, err := tr.load(ctx)
	if err != nil {
		tr.cfg.Logger.Warn("progress: status reload failed, keeping the last one", "err", err)
		if old != nil {
			// Retry after another TTL, not at every lookup.
			s := &snapshot{m: old.m, at: tr.cfg.Now()}
			tr.snap.Store(s)
			return s
		}
		s := &snapshot{m: map[Key]kb.Status{}, at: tr.cfg.Now()}
		tr.snap.Store(s)
		return s
	}
	s := &snapshot{m: displayAll(m), at: tr.cfg.Now()}
	tr.snap.Store(s)
	return s
}

// refreshKey re-reads one task after this process recorded on it, so its
// own answers show the report at once. Before the first load it does
// nothing: the first Lookup loads everything.
func (tr *Tracker) refreshKey(ctx context.Context, k Key) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	old := tr.snap.Load()
	if old == nil {
		return
	}
	h, err := tr.History(ctx, k.Table, k.No)
	if err != nil {
		// The report is stored; the snapshot catches up at the next reload.
		tr.cfg.Logger.Warn("progress: status refresh failed", "table", k.Table, "no", k.No, "err", err)
		return
	}
	m := clone(old.m)
	if s, ok := Fold(h); ok {
		m[k] = Display(s)
	} else {
		delete(m, k)
	}
	// Keep the old age: other tasks are no fresher than before.
	tr.snap.Store(&snapshot{m: m, at: old.at})
}

// Status returns the folded status of task (t, no) read from the journal
// now, and false when none is in force.
func (tr *Tracker) Status(ctx context.Context, t kb.Table, no int) (kb.Status, bool, error) {
	h, err := tr.History(ctx, t, no)
	if err != nil {
		return kb.Status{}, false, err
	}
	s, ok := Fold(h)
	return s, ok, nil
}
