package progress

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"duban/kb"
	"duban/store"
)

// reUrge is the 催办 command: "催办 76号", "催办实事12号", "请催办第76项".
var reUrge = regexp.MustCompile(`^(?:请|麻烦)?(?:催办|催促|催一下)\s*[:：]?\s*`)

// ParseUrge reads a 催办 command ("催办 76号", "催办实事第12项") and returns
// the task it names as a Report with one number, or false for any other
// message.
func ParseUrge(text string) (Report, bool) {
	s := normalize(text)
	m := reUrge.FindString(s)
	if m == "" {
		return Report{}, false
	}
	rest := strings.TrimSpace(s[len(m):])
	if !strings.HasPrefix(rest, "第") && !strings.ContainsAny(rest, "号项") && !reTaskRef.MatchString(rest) {
		return Report{}, false
	}
	rep, tail, ok := taskRef(rest)
	if !ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
		// A bare number after 催办 is a task number: "催办 76".
		rep, tail, ok = taskRef(rest + "号")
	}
	if !ok || len(rep.Nos) != 1 {
		return Report{}, false
	}
	if t := strings.Trim(tail, "。.!！ "); t != "" && !strings.HasPrefix(t, "任务") {
		return Report{}, false
	}
	return rep, true
}

// ResolveUrge finds the task an urge names: the table it names, else the
// first of the tables reports look in that holds the number. Anyone may be
// urged, so no chat is checked here (the scheduler decides who may urge).
func ResolveUrge(b *kb.Base, r Report) (kb.Record, bool) {
	tables := reportTables
	if r.Scoped {
		tables = []kb.Table{r.Table}
	}
	for _, t := range tables {
		if rec, ok := b.Task(t, r.Nos[0]); ok {
			return rec, true
		}
	}
	return kb.Record{}, false
}

// An Urge is one 催办 of a task, as its journal keeps it.
type Urge struct {
	Table kb.Table  `json:"table"`
	No    int       `json:"no"`
	From  string    `json:"from"`         // the chat that urged (a configured chat name)
	By    string    `json:"by,omitempty"` // who sent it
	To    []string  `json:"to,omitempty"` // the chats the urgent reminder went to
	At    time.Time `json:"at"`
}

// urgePrefix starts the journal keys of urgings, beside the statuses'.
const urgePrefix = "urge/"

func urgeKey(t kb.Table, no int) string { return urgePrefix + string(t) + "/" + fmt.Sprint(no) }

// An UrgeLog counts the urgings of each task in the store's journal, one
// log per task, so the count survives restarts and is shared by replicas.
// Count reads a snapshot reloaded at most every TTL (default 5 seconds).
type UrgeLog struct {
	j   store.Journal
	now func() time.Time
	ttl time.Duration

	snap atomic.Pointer[urgeSnap]
	mu   sync.Mutex
}

type urgeSnap struct {
	n  map[Key]int
	at time.Time
}

// NewUrgeLog returns the urge log over j; now nil is time.Now.
func NewUrgeLog(j store.Journal, now func() time.Time) *UrgeLog {
	if now == nil {
		now = time.Now
	}
	return &UrgeLog{j: j, now: now, ttl: 5 * time.Second}
}

// Record appends u to its task's urge log, once per id (the urging
// message's platform id) when the journal supports ids, and returns the
// number of urgings the task now has.
func (l *UrgeLog) Record(ctx context.Context, id string, u Urge) (int, error) {
	if u.At.IsZero() {
		u.At = l.now()
	}
	b, err := json.Marshal(u)
	if err != nil {
		return 0, fmt.Errorf("progress: urge %s#%d: %w", u.Table, u.No, err)
	}
	key := urgeKey(u.Table, u.No)
	if oj, ok := l.j.(store.OnceJournal); ok && id != "" {
		_, _, err = oj.AppendOnce(ctx, key, id, b)
	} else {
		_, err = l.j.Append(ctx, key, b)
	}
	if err != nil {
		return 0, fmt.Errorf("progress: urge %s#%d: %w", u.Table, u.No, err)
	}
	h, err := l.History(ctx, u.Table, u.No)
	if err != nil {
		return 0, err
	}
	l.mu.Lock()
	if s := l.snap.Load(); s != nil {
		m := make(map[Key]int, len(s.n)+1)
		for k, v := range s.n {
			m[k] = v
		}
		m[Key{u.Table, u.No}] = len(h)
		l.snap.Store(&urgeSnap{n: m, at: s.at})
	}
	l.mu.Unlock()
	return len(h), nil
}

// History returns the urgings of task (t, no), oldest first.
func (l *UrgeLog) History(ctx context.Context, t kb.Table, no int) ([]Urge, error) {
	raw, err := l.j.List(ctx, urgeKey(t, no))
	if err != nil {
		return nil, fmt.Errorf("progress: urge history %s#%d: %w", t, no, err)
	}
	out := make([]Urge, 0, len(raw))
	for _, b := range raw {
		var u Urge
		if json.Unmarshal(b, &u) == nil {
			out = append(out, u)
		}
	}
	return out, nil
}

// Count returns how often task (t, no) was urged, from a snapshot at most
// TTL old; 0 when the journal cannot be read.
func (l *UrgeLog) Count(t kb.Table, no int) int {
	s := l.snap.Load()
	if s == nil {
		l.mu.Lock()
		if s = l.snap.Load(); s == nil {
			s = l.reloadLocked()
		}
		l.mu.Unlock()
	} else if l.now().Sub(s.at) >= l.ttl && l.mu.TryLock() {
		s = l.reloadLocked()
		l.mu.Unlock()
	}
	return s.n[Key{t, no}]
}

func (l *UrgeLog) reloadLocked() *urgeSnap {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	old := l.snap.Load()
	keys, err := l.j.Keys(ctx)
	m := map[Key]int{}
	for _, k := range keys {
		rest, ok := strings.CutPrefix(k, urgePrefix)
		if !ok {
			continue
		}
		key, ok := parseKey(keyPrefix + rest)
		if !ok {
			continue
		}
		raw, lerr := l.j.List(ctx, k)
		if lerr != nil {
			err = lerr
			break
		}
		m[key] = len(raw)
	}
	if err != nil && old != nil {
		m = old.n // keep the last counts; retry after another TTL
	}
	s := &urgeSnap{n: m, at: l.now()}
	l.snap.Store(s)
	return s
}
