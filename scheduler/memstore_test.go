package scheduler

import (
	"testing"
	"time"

	"duban/store"
	"duban/store/memstore"
)

// TestRestartWithMemstore runs ticks against the embedded store across a
// restart: a reminder claimed by a run that died is neither lost nor
// repeated, and confirmed reminders stay confirmed.
func TestRestartWithMemstore(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: monday}
	open := func() *memstore.Store {
		st, err := memstore.Open(memstore.Config{Dir: dir, Now: c.Now, SweepEvery: -1})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	p := &fakePusher{now: c.Now}
	base := fixtureBase(t)
	cfg := fixtureConfig()
	cfg.Now, cfg.Sleep = c.Now, (&sleeper{c: c}).Sleep

	st := open()
	s, err := New(cfg, base, p, st)
	if err != nil {
		t.Fatal(err)
	}
	// A process killed mid-tick had claimed 住建群's reminder under the
	// tick lock (token 0 < any token the restarted store issues), and a
	// leader summary's run had claimed 交通群's under another lock.
	zj := ledgerKey("住建群", PushTask{Table: "key_tasks", No: 1, Milestone: "due-30"})
	if ok, err := st.Claim(t.Context(), zj, store.Owner{Lock: LockName, Token: 0}, s.cfg.ClaimTTL); !ok || err != nil {
		t.Fatalf("Claim = %v, %v", ok, err)
	}
	jt := ledgerKey("交通群", PushTask{Table: "key_tasks", No: 1, Milestone: "due-30"})
	if ok, err := st.Claim(t.Context(), jt, store.Owner{Lock: "other", Token: 5}, s.cfg.ClaimTTL); !ok || err != nil {
		t.Fatalf("Claim = %v, %v", ok, err)
	}
	steps := []struct {
		restart bool
		advance time.Duration
		want    Report
	}{
		{false, 0, Report{Pushes: 4, Sent: 6, Pending: 1}}, // 住建群's taken over at once, 交通群's pending
		{true, time.Minute, Report{Skipped: 6, Pending: 1}},
		{true, s.cfg.ClaimTTL, Report{Pushes: 1, Sent: 1, Skipped: 6}},
		{true, time.Hour, Report{Skipped: 7}},
	}
	for i, stp := range steps {
		if stp.restart {
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			st = open()
			if s, err = New(cfg, base, p, st); err != nil {
				t.Fatal(err)
			}
		}
		c.Advance(stp.advance)
		rep, err := s.Run(t.Context(), c.Now())
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		if rep != stp.want {
			t.Errorf("run %d: %+v, want %+v", i, rep, stp.want)
		}
	}
	st.Close()
	got := map[string]int{}
	for _, d := range p.deliveries() {
		got[d.chat]++
	}
	for _, ch := range cfg.Chats {
		if got[ch.Name] != 1 {
			t.Errorf("%s: %d digests, want 1", ch.Name, got[ch.Name])
		}
	}
}
