package scheduler

import (
	"fmt"
	"testing"
	"time"

	"duban/kb"
	"duban/kb/names"
	"duban/progress"
	"duban/store/memstore"
)

// TestYearWithReports walks the seed documents' plan year twice, ticking
// at 09:00 on weekdays: once without statuses, and once with units
// reporting tasks done through a progress.Tracker on the embedded store.
// Nearly every seed deadline is 31 December, so a third of the routed
// tasks are reported done mid-year (Friday 31 July, before any reminder)
// and another third on Friday 11 December (after their due-30 reminder);
// one of the December reports is withdrawn on 14 January. Reported tasks
// get no reminder from the next tick on; the withdrawn one is reminded
// again after the undo (its overdue repeats); every other task gets
// exactly the reminders it got without statuses.
func TestYearWithReports(t *testing.T) {
	base := seedsBase(t)
	var chats []Chat
	seen := map[string]bool{}
	for _, r := range base.Records() {
		if r.Due == nil {
			continue
		}
		for _, u := range r.LeadUnits {
			if u = names.Unit(u); !names.IsCollective(u) && !seen[u] {
				seen[u] = true
				chats = append(chats, Chat{Name: "群·" + u, Type: WeComWebhook, Units: []string{u}, HasCredentials: true})
			}
		}
	}
	rule := Rule{Cron: "0 9 * * 1-5", DaysBefore: []int{30, 7, 1}, OverdueEveryDays: 7, CoUnits: true}
	from, to := time.Date(2020, 1, 1, 0, 0, 0, 0, kb.Location), time.Date(2021, 2, 28, 0, 0, 0, 0, kb.Location)
	midYear := time.Date(2020, 7, 31, 15, 0, 0, 0, kb.Location)
	december := time.Date(2020, 12, 11, 15, 0, 0, 0, kb.Location)
	undoAt := time.Date(2021, 1, 14, 15, 0, 0, 0, kb.Location)

	key := func(r kb.Record) string { return fmt.Sprintf("%s#%d", r.Table, r.No) }
	reportAt := map[string]time.Time{} // task → when it is reported done
	var reports []kb.Record
	i := 0
	for _, r := range base.Records() {
		if r.Due == nil || r.Due.Year() != 2020 || r.Due.Month() != time.December {
			continue
		}
		routed := false
		for _, u := range r.LeadUnits {
			routed = routed || seen[names.Unit(u)]
		}
		if !routed {
			continue
		}
		switch i % 3 {
		case 0:
			reportAt[key(r)] = midYear
			reports = append(reports, r)
		case 1:
			reportAt[key(r)] = december
			reports = append(reports, r)
		}
		i++
	}
	var undone kb.Record
	for _, r := range reports {
		if reportAt[key(r)].Equal(december) {
			undone = r
			break
		}
	}
	if len(reports) < 10 || undone.No == 0 {
		t.Fatalf("only %d tasks to report on; the seeds changed?", len(reports))
	}

	type seat struct {
		day  time.Time
		chat string
		task string
	}
	simulate := func(withStatus bool) []seat {
		c := &clock{}
		cfg := Config{Chats: chats, Reminders: []Rule{rule}, Now: c.Now}
		var tr *progress.Tracker
		if withStatus {
			ms, err := memstore.Open(memstore.Config{Dir: t.TempDir(), Now: c.Now, BatchDelay: -1, SweepEvery: -1})
			if err != nil {
				t.Fatal(err)
			}
			defer ms.Close()
			tr = progress.New(ms, progress.Config{Now: c.Now})
			cfg.Status = tr.Lookup
		}
		p := &fakePusher{now: c.Now}
		s, err := New(cfg, base, p, newFakeStore(c.Now))
		if err != nil {
			t.Fatal(err)
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			if weekday(d) {
				c.Set(d.Add(9 * time.Hour))
				if _, err := s.Run(t.Context(), c.Now()); err != nil {
					t.Fatalf("%s: %v", d.Format(time.DateOnly), err)
				}
			}
			// Reports and the undo come in the afternoon, after the tick.
			for _, when := range []time.Time{midYear, december} {
				if !withStatus || !d.Equal(dayStart(when)) {
					continue
				}
				c.Set(when)
				for _, r := range reports {
					if !reportAt[key(r)].Equal(when) {
						continue
					}
					st := kb.Status{Table: r.Table, No: r.No, State: kb.Done, Unit: names.Unit(r.LeadUnits[0]), Chat: "cid"}
					if _, err := tr.Record(t.Context(), st); err != nil {
						t.Fatal(err)
					}
				}
			}
			if withStatus && d.Equal(dayStart(undoAt)) {
				c.Set(undoAt)
				if _, _, err := tr.Undo(t.Context(), undone.Table, undone.No, kb.Done, kb.Status{Chat: "cid"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		bySource := map[kb.Source]kb.Record{}
		for _, r := range base.Records() {
			bySource[r.Source] = r
		}
		var out []seat
		for _, dl := range p.deliveries() {
			for _, src := range dl.reply.Sources {
				out = append(out, seat{dayStart(dl.at), dl.chat, key(bySource[src])})
			}
		}
		return out
	}
	without, with := simulate(false), simulate(true)

	count := func(ss []seat) map[seat]int {
		m := map[seat]int{}
		for _, s := range ss {
			m[s]++
		}
		return m
	}
	wo, wi := count(without), count(with)
	var before, resumed int
	for s, n := range wi {
		if n > 1 {
			t.Errorf("reminder sent %d times: %+v", n, s)
		}
		at, reported := reportAt[s.task]
		switch {
		case !reported:
		case s.day.Before(at):
			before++
		case s.task == key(undone) && s.day.After(undoAt):
			resumed++
		default:
			t.Errorf("task %s reported done on %s reminded on %s in %s", s.task, at.Format(time.DateOnly), s.day.Format(time.DateOnly), s.chat)
		}
	}
	for s := range wo {
		at, reported := reportAt[s.task]
		if (!reported || s.day.Before(at)) && wi[s] == 0 {
			t.Errorf("reminder lost: %s %s %s", s.day.Format(time.DateOnly), s.chat, s.task)
		}
	}
	for s := range wi {
		if _, reported := reportAt[s.task]; !reported && wo[s] == 0 {
			t.Errorf("unexpected reminder: %s %s %s", s.day.Format(time.DateOnly), s.chat, s.task)
		}
	}
	if before == 0 || resumed == 0 {
		t.Errorf("reported tasks: %d reminders before their report, %d after the undo; want some of each", before, resumed)
	}
	t.Logf("%d tasks reported done; reminders: %d without statuses, %d with (%d before the reports, %d after the undo)",
		len(reports), len(without), len(with), before, resumed)
}

func dayStart(t time.Time) time.Time {
	y, m, d := t.In(kb.Location).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, kb.Location)
}
