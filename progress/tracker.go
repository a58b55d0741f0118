// Package progress closes the 督办 loop: units report progress and
// completion of their tasks in chat, and the reports are kept append-only in
// the store's journal, one log per task, so nothing is ever overwritten and
// an undo is a new entry. A Tracker records reports, folds each task's
// history into its current status and keeps a cached snapshot for answers
// and reminders. ParseReport reads report messages ("76号已完成"),
// Authorize decides which chats may report for a task, and WriteCSV and
// WriteXLSX export the task tables with their statuses.
package progress

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"duban/kb"
	"duban/store"
)

// ErrNothingToUndo is returned by Undo when the task has no report left to
// withdraw.
var ErrNothingToUndo = errors.New("progress: nothing to undo")

// A Key names one task.
type Key struct {
	Table kb.Table
	No    int
}

// An Entry is one journal entry of a task with its 1-based sequence number.
type Entry struct {
	Seq int64 `json:"seq"`
	kb.Status
}

// Config tunes a Tracker. The zero value is usable.
type Config struct {
	// Now stamps reports that carry no time, and ages the snapshot.
	// Default: time.Now.
	Now func() time.Time
	// TTL is how old the snapshot may be before Lookup reloads it, so that
	// reports recorded by other replicas show within that long. Default: 5
	// seconds.
	TTL time.Duration
	// RefreshTimeout bounds a reload that Lookup starts. Default: 3 seconds.
	RefreshTimeout time.Duration
	// Logger receives failed reloads (the old snapshot is kept). Default:
	// slog.Default().
	Logger *slog.Logger
}

// A Tracker keeps task statuses in a store.Journal. It is safe for
// concurrent use, and several Trackers (one per replica) may share one
// journal: every report is an append, and each task's log is ordered by
// the store.
type Tracker struct {
	j   store.Journal
	cfg Config

	snap atomic.Pointer[snapshot]
	mu   sync.Mutex // serialises snapshot writers, so a reload never hides a newer Record
}

// snapshot is the folded status of every reported task at a moment, in
// the Display form that answers and reminders show.
type snapshot struct {
	m  map[Key]kb.Status
	at time.Time
}

// New returns a Tracker over j.
func New(j store.Journal, cfg Config) *Tracker {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TTL <= 0 {
		cfg.TTL = 5 * time.Second
	}
	if cfg.RefreshTimeout <= 0 {
		cfg.RefreshTimeout = 3 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Tracker{j: j, cfg: cfg}
}

// Now is the tracker's clock, which stamps reports that carry no time.
func (tr *Tracker) Now() time.Time { return tr.cfg.Now() }

// keyPrefix starts every journal key of a task status, so the journal can
// hold other logs beside.
const keyPrefix = "status/"

func journalKey(t kb.Table, no int) string {
	return keyPrefix + string(t) + "/" + strconv.Itoa(no)
}

func parseKey(k string) (Key, bool) {
	rest, ok := strings.CutPrefix(k, keyPrefix)
	if !ok {
		return Key{}, false
	}
	i := strings.LastIndexByte(rest, '/')
	if i <= 0 {
		return Key{}, false
	}
	no, err := strconv.Atoi(rest[i+1:])
	if err != nil {
		return Key{}, false
	}
	return Key{kb.Table(rest[:i]), no}, true
}

// Record appends s to its task's history and returns its sequence number.
// A zero s.At is stamped with the clock. An Undone entry must name the
// entry it withdraws (use Undo to find it).
func (tr *Tracker) Record(ctx context.Context, s kb.Status) (int64, error) {
	seq, _, err := tr.RecordOnce(ctx, "", s)
	return seq, err
}

// RecordOnce is Record keyed by id, the report's platform-qualified message
// id: when the journal is a store.OnceJournal, an entry for the same task,
// unit and id that was recorded before (the same message delivered to
// several replicas, or retried while the dedup store was down) is not
// appended again, and RecordOnce returns its sequence number with added
// false. With an empty id, or a journal without ids, it appends as Record
// does and reports added true.
func (tr *Tracker) RecordOnce(ctx context.Context, id string, s kb.Status) (seq int64, added bool, err error) {
	if s.Table == "" || s.No <= 0 {
		return 0, false, fmt.Errorf("progress: record: no task (table %q, no %d)", s.Table, s.No)
	}
	switch s.State {
	case kb.NotStarted, kb.InProgress, kb.Done, kb.Extension,
		kb.Claimed, kb.Closed, kb.Returned, kb.ExtensionApproved, kb.ExtensionRejected:
	case kb.Undone:
		if s.Undoes <= 0 {
			return 0, false, fmt.Errorf("progress: record %s#%d: an undo must name the entry it withdraws", s.Table, s.No)
		}
	default:
		return 0, false, fmt.Errorf("progress: record %s#%d: unknown state %q", s.Table, s.No, s.State)
	}
	if s.At.IsZero() {
		s.At = tr.cfg.Now()
	}
	if s.Ref == "" {
		s.Ref = id
	}
	b, err := json.Marshal(s)
	if err != nil {
		return 0, false, fmt.Errorf("progress: record %s#%d: %w", s.Table, s.No, err)
	}
	key := journalKey(s.Table, s.No)
	if oj, ok := tr.j.(store.OnceJournal); ok && id != "" {
		// One message may report a task for two of its lead units.
		seq, added, err = oj.AppendOnce(ctx, key, id+"|"+s.Unit, b)
	} else {
		added = true
		seq, err = tr.j.Append(ctx, key, b)
	}
	if err != nil {
		return 0, false, fmt.Errorf("progress: record %s#%d: %w", s.Table, s.No, err)
	}
	tr.refreshKey(ctx, Key{s.Table, s.No})
	return seq, added, nil
}

// Undo withdraws the latest report of task (t, no) that is still in force,
// restricted to reports in state want unless want is "". It records an
// Undone entry stamped from u (Unit, Chat, User, At) and returns its
// sequence number and the entry it withdrew, or ErrNothingToUndo.
//
// Two replicas undoing at once may both pick the same entry; the second
// undo then changes nothing, which is what both officials asked for. The
// same undo message handled twice is UndoOnce's case.
func (tr *Tracker) Undo(ctx context.Context, t kb.Table, no int, want kb.State, u kb.Status) (int64, Entry, error) {
	seq, target, _, err := tr.UndoOnce(ctx, "", t, no, want, u)
	return seq, target, err
}

// UndoOnce is Undo keyed by id, the undo message's platform-qualified id
// (see RecordOnce): the same 撤销 delivered to several replicas withdraws
// one report, not one per replica. A repeat returns the earlier undo's
// sequence number and the entry it withdrew, with added false (or
// ErrNothingToUndo when the first undo left nothing else in force).
func (tr *Tracker) UndoOnce(ctx context.Context, id string, t kb.Table, no int, want kb.State, u kb.Status) (seq int64, target Entry, added bool, err error) {
	h, err := tr.History(ctx, t, no)
	if err != nil {
		return 0, Entry{}, false, err
	}
	target, ok := lastInForce(h, want)
	if !ok {
		return 0, Entry{}, false, fmt.Errorf("progress: undo %s#%d: %w", t, no, ErrNothingToUndo)
	}
	u.Table, u.No, u.State, u.Undoes = t, no, kb.Undone, target.Seq
	seq, added, err = tr.RecordOnce(ctx, id, u)
	if err != nil || added {
		return seq, target, added, err
	}
	// The same message's undo landed first (another replica, or before a
	// retry), maybe on another entry: report what it withdrew.
	if h, err = tr.History(ctx, t, no); err != nil {
		return 0, Entry{}, false, err
	}
	for _, e := range h {
		if e.Seq != seq || e.State != kb.Undone {
			continue
		}
		for _, w := range h {
			if w.Seq == e.Undoes {
				return seq, w, false, nil
			}
		}
	}
	return seq, target, false, nil
}

// Recorded returns the entry of task (t, no) that id recorded (see
// RecordOnce), and false when id recorded none: a replayed tap is told
// from a new one after the task has moved on.
func (tr *Tracker) Recorded(ctx context.Context, t kb.Table, no int, id string) (Entry, bool, error) {
	h, err := tr.History(ctx, t, no)
	if err != nil || id == "" {
		return Entry{}, false, err
	}
	for _, e := range h {
		if e.Ref == id {
			return e, true, nil
		}
	}
	return Entry{}, false, nil
}

// History returns every entry of task (t, no), oldest first.
func (tr *Tracker) History(ctx context.Context, t kb.Table, no int) ([]Entry, error) {
	raw, err := tr.j.List(ctx, journalKey(t, no))
	if err != nil {
		return nil, fmt.Errorf("progress: history %s#%d: %w", t, no, err)
	}
	out := make([]Entry, 0, len(raw))
	for i, b := range raw {
		var s kb.Status
		if err := json.Unmarshal(b, &s); err != nil {
			// Skip rather than fail: one bad entry must not hide a task's
			// whole history. Its sequence number is kept by position.
			tr.cfg.Logger.Warn("progress: bad journal entry skipped", "task", journalKey(t, no), "seq", i+1, "err", err)
			continue
		}
		out = append(out, Entry{Seq: int64(i + 1), Status: s})
	}
	return out, nil
}

// Current returns the status of every task that has a report in force,
// read from the journal now (not from the snapshot), and refreshes the
// snapshot with it.
func (tr *Tracker) Current(ctx context.Context) (map[Key]kb.Status, error) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	m, err := tr.load(ctx)
	if err != nil {
		return nil, err
	}
	tr.snap.Store(&snapshot{m: displayAll(m), at: tr.cfg.Now()})
	return m, nil
}

func (tr *Tracker) load(ctx context.Context) (map[Key]kb.Status, error) {
	keys, err := tr.j.Keys(ctx)
	if err != nil {
		return nil, fmt.Errorf("progress: current: %w", err)
	}
	m := map[Key]kb.Status{}
	for _, k := range keys {
		key, ok := parseKey(k)
		if !ok {
			continue
		}
		h, err := tr.History(ctx, key.Table, key.No)
		if err != nil {
			return nil, fmt.Errorf("progress: current: %w", err)
		}
		if s, ok := Fold(h); ok {
			m[key] = s
		}
	}
	return m, nil
}

// Fold returns the status in force after the entries h (oldest first): the
// latest entry that is neither an undo nor withdrawn by one. It reports
// false when no report is in force (the task is 未开始).
func Fold(h []Entry) (kb.Status, bool) {
	e, ok := lastInForce(h, "")
	return e.Status, ok
}

func lastInForce(h []Entry, want kb.State) (Entry, bool) {
	undone := map[int64]bool{}
	for _, e := range h {
		if e.State == kb.Undone {
			undone[e.Undoes] = true
		}
	}
	for i := len(h) - 1; i >= 0; i-- {
		e := h[i]
		if e.State == kb.Undone || undone[e.Seq] {
			continue
		}
		if want == "" || e.State == want || (want == kb.Done && e.State == kb.Claimed) {
			return e, true // 撤销76号完成 withdraws the claim under review too
		}
	}
	return Entry{}, false
}

// displayAll returns a copy of m with every status in its Display form.
func displayAll(m map[Key]kb.Status) map[Key]kb.Status {
	out := make(map[Key]kb.Status, len(m))
	for k, v := range m {
		out[k] = Display(v)
	}
	return out
}

func clone(m map[Key]kb.Status) map[Key]kb.Status {
	out := make(map[Key]kb.Status, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
