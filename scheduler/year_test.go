package scheduler

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"duban/kb"
	"duban/kb/ingest"
	"duban/kb/ingest/seedtest"
	"duban/kb/names"
)

// seedsBase loads ../shared/seeds (next to the module root) or skips.
// The seeds are loaded once per test binary: under -race that takes
// seconds, and a *kb.Base is read-only.
func seedsBase(t testing.TB) *kb.Base {
	t.Helper()
	seeds := seedtest.Dir(t)
	seedsOnce.Do(func() {
		seedsLoaded, _, seedsErr = ingest.LoadDir(context.Background(), seeds)
	})
	if seedsLoaded == nil {
		t.Fatalf("load seeds: %v", seedsErr)
	}
	return seedsLoaded
}

var (
	seedsOnce   sync.Once
	seedsLoaded *kb.Base
	seedsErr    error
)

// seat is one expected or actual reminder: a day, a chat, a task.
type seat struct {
	day  string
	chat string
	task string // table#no
}

// yearOracle computes, independently of Plan, which reminders a year of
// weekday ticks must deliver: for every dated task, every chat of its lead
// units (and co-units), every milestone window that holds a tick of that
// chat, the first such tick.
type yearOracle struct {
	chats      map[string]bool // chat names; chat of unit u is "群·"+u
	daysBefore []int
	every      int
	from, to   time.Time                           // first and last tick day
	ticks      func(chat string, d time.Time) bool // whether chat gets a working tick on d
}

func (o yearOracle) chatOf(u string) []string {
	u = names.Unit(u)
	isPark := func(c string) bool { return strings.HasSuffix(c, "区") }
	isTown := func(c string) bool {
		return strings.HasSuffix(c, "镇") || strings.HasSuffix(c, "街道") || isPark(c)
	}
	var out []string
	switch {
	case u == "各园区" || u == "相关园区":
		for c := range o.chats {
			if isPark(c) {
				out = append(out, c)
			}
		}
	case u == "各区镇" || u == "相关区镇":
		for c := range o.chats {
			if isTown(c) {
				out = append(out, c)
			}
		}
	case u == "各部门" || u == "相关部门" || u == "各有关部门":
		for c := range o.chats {
			if !isTown(c) {
				out = append(out, c)
			}
		}
	case o.chats["群·"+u]:
		out = append(out, "群·"+u)
	}
	return out
}

func (o yearOracle) expect(recs []kb.Record) (want map[seat]bool, superseded int) {
	want = map[seat]bool{}
	for _, r := range recs {
		if r.Due == nil {
			continue
		}
		lead := map[string]bool{}
		for _, u := range r.LeadUnits {
			for _, c := range o.chatOf(u) {
				lead[c] = true
			}
		}
		co := map[string]bool{}
		for _, u := range r.CoUnits {
			if names.IsCollective(names.Unit(u)) {
				continue // a collective co-unit fans out only under collective_co_units (route.go)
			}
			for _, c := range o.chatOf(u) {
				if !lead[c] {
					co[c] = true
				}
			}
		}
		due := r.Due.Time
		var starts []time.Time
		for _, n := range o.daysBefore {
			starts = append(starts, due.AddDate(0, 0, -n))
		}
		for s := due.AddDate(0, 0, 1); !s.After(o.to); s = s.AddDate(0, 0, max(o.every, 1)) {
			starts = append(starts, s)
			if o.every == 0 {
				break
			}
		}
		slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
		task := fmt.Sprintf("%s#%d", r.Table, r.No)
		for c := range mergeKeys(lead, co) {
			for i, s := range starts {
				end := o.to.AddDate(0, 0, 1)
				if i+1 < len(starts) {
					end = starts[i+1]
				}
				found := false
				for d := s; d.Before(end); d = d.AddDate(0, 0, 1) {
					if !d.Before(o.from) && !d.After(o.to) && o.ticks(c, d) {
						want[seat{d.Format(time.DateOnly), c, task}] = true
						found = true
						break
					}
				}
				if !found && !end.Before(o.from) && !s.After(o.to) {
					superseded++
				}
			}
		}
	}
	return want, superseded
}

func mergeKeys(a, b map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func weekday(d time.Time) bool { return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday }

// TestYear walks the plan year of the seed documents (and two months on,
// for the overdue repeats) day by day, ticking at 09:00 Monday to Friday,
// and checks that every reminder is delivered exactly once, on its day, in
// its chats, also when chats fail.
func TestYear(t *testing.T) {
	base := seedsBase(t)
	var chats []Chat
	chatNames := map[string]bool{}
	for _, r := range base.Records() {
		if r.Due == nil {
			continue
		}
		for _, u := range r.LeadUnits {
			if u = names.Unit(u); !names.IsCollective(u) && !chatNames["群·"+u] {
				chatNames["群·"+u] = true
				chats = append(chats, Chat{Name: "群·" + u, Type: WeComWebhook, Units: []string{u}, HasCredentials: true})
			}
		}
	}
	rule := Rule{Cron: "0 9 * * 1-5", DaysBefore: []int{30, 7, 1}, OverdueEveryDays: 7, CoUnits: true}
	from, to := time.Date(2020, 1, 1, 0, 0, 0, 0, kb.Location), time.Date(2021, 2, 28, 0, 0, 0, 0, kb.Location)

	// Failures: 住建局's robot refuses every Monday (not retryable), 交通局's
	// is busy all Tuesday (every attempt), 发改委's is busy at the first
	// attempt of every push (retried within the tick).
	failing := func(chat string, d time.Time) bool {
		return chat == "群·住建局" && d.Weekday() == time.Monday || chat == "群·交通局" && d.Weekday() == time.Tuesday
	}
	tests := []struct {
		name     string
		failures bool
		every    int
	}{
		{"weekly overdue repeats", false, 7},
		{"overdue once", false, 0},
		{"with failures", true, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &clock{}
			st := newFakeStore(c.Now)
			p := &fakePusher{now: c.Now}
			if tt.failures {
				p.fail = func(chat string, n int) error {
					switch {
					case failing(chat, c.Now()) && chat == "群·住建局":
						return errBadKey
					case failing(chat, c.Now()):
						return errBusy
					case chat == "群·发改委" && n == 1:
						return errBusy
					}
					return nil
				}
			}
			r := rule
			r.OverdueEveryDays = tt.every
			sl := &sleeper{c: c}
			s, err := New(Config{Chats: chats, Reminders: []Rule{r}, Now: c.Now, Sleep: sl.Sleep}, base, p, st)
			if err != nil {
				t.Fatal(err)
			}
			var total Report
			for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
				if !weekday(d) {
					continue
				}
				c.Set(d.Add(9 * time.Hour))
				p.mu.Lock()
				p.attempts = nil // attempts count per tick
				p.mu.Unlock()
				rep, err := s.Run(t.Context(), c.Now())
				total.add(rep)
				if err != nil && !tt.failures {
					t.Fatalf("%s: %v", d.Format(time.DateOnly), err)
				}
			}

			bySource := map[kb.Source]kb.Record{}
			for _, r := range base.Records() {
				bySource[r.Source] = r
			}
			got := map[seat]int{}
			for _, dl := range p.deliveries() {
				for _, src := range dl.reply.Sources {
					r := bySource[src]
					if r.Due == nil {
						t.Errorf("%s: %s got a reminder for %s#%d, which has no date", dl.at.Format(time.DateOnly), dl.chat, r.Table, r.No)
					}
					got[seat{dl.at.Format(time.DateOnly), dl.chat, fmt.Sprintf("%s#%d", r.Table, r.No)}]++
				}
			}
			ticks := func(chat string, d time.Time) bool {
				return weekday(d) && !(tt.failures && failing(chat, d))
			}
			o := yearOracle{chats: chatNames, daysBefore: rule.DaysBefore, every: tt.every, from: from, to: to, ticks: ticks}
			want, superseded := o.expect(base.Records())
			var missing, extra, doubled []string
			for k := range want {
				if got[k] == 0 {
					missing = append(missing, fmt.Sprint(k))
				}
			}
			for k, n := range got {
				if !want[k] {
					extra = append(extra, fmt.Sprint(k))
				}
				if n > 1 {
					doubled = append(doubled, fmt.Sprint(k))
				}
			}
			for _, l := range []struct {
				what string
				xs   []string
			}{{"missing", missing}, {"unexpected", extra}, {"doubled", doubled}} {
				if len(l.xs) > 0 {
					slices.Sort(l.xs)
					t.Errorf("%d %s reminders, e.g. %v", len(l.xs), l.what, l.xs[:min(5, len(l.xs))])
				}
			}
			if d := st.doubled(); len(d) > 0 {
				t.Errorf("ledger confirmed twice: %v", d[:min(5, len(d))])
			}
			if total.Sent != len(want) {
				t.Errorf("report: %d sent, want %d", total.Sent, len(want))
			}
			if tt.failures && (total.Failed == 0 || total.Retries == 0) {
				t.Errorf("failures not exercised: %+v", total)
			}
			t.Logf("%d reminders in %d chats over %d ticks; %d milestones superseded (window without a tick); report %+v",
				len(want), len(chats), countTicks(from, to), superseded, total)
		})
	}
}

func countTicks(from, to time.Time) int {
	n := 0
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if weekday(d) {
			n++
		}
	}
	return n
}
