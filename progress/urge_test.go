package progress

import (
	"testing"
	"time"

	"duban/kb"
	"duban/store/memstore"
)

func TestParseUrge(t *testing.T) {
	tests := []struct {
		text   string
		no     int
		table  kb.Table
		scoped bool
		ok     bool
	}{
		{"催办 76号", 76, kb.KeyTasks, false, true},
		{"催办76号任务", 76, kb.KeyTasks, false, true},
		{"请催办第76项", 76, kb.KeyTasks, false, true},
		{"催办 76", 76, kb.KeyTasks, false, true},
		{"催办 ７６号", 76, kb.KeyTasks, false, true},
		{"催办实事12号", 12, kb.PeopleProjects, true, true},
		{"催办：重点工作第七十六项", 76, kb.KeyTasks, true, true},
		{"@督办助手 催办 76号", 76, kb.KeyTasks, false, true},
		// not an urge
		{"76号已完成", 0, "", false, false},
		{"催办 76号完成了吗", 0, "", false, false},
		{"催办一下大家", 0, "", false, false},
		{"催办是什么意思", 0, "", false, false},
		{"催办", 0, "", false, false},
	}
	for _, tt := range tests {
		r, ok := ParseUrge(tt.text)
		if ok != tt.ok {
			t.Errorf("ParseUrge(%q) ok = %v, want %v (%+v)", tt.text, ok, tt.ok, r)
			continue
		}
		if ok && (len(r.Nos) != 1 || r.Nos[0] != tt.no || r.Table != tt.table || r.Scoped != tt.scoped) {
			t.Errorf("ParseUrge(%q) = %+v, want %d in %s (scoped %v)", tt.text, r, tt.no, tt.table, tt.scoped)
		}
	}
}

func TestUrgeLog(t *testing.T) {
	st, err := memstore.Open(memstore.Config{Dir: t.TempDir(), SweepEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2020, 9, 1, 9, 0, 0, 0, kb.Location)
	l := NewUrgeLog(st, func() time.Time { return now })
	if n := l.Count(kb.KeyTasks, 76); n != 0 {
		t.Fatalf("Count before any urging = %d", n)
	}
	u := Urge{Table: kb.KeyTasks, No: 76, From: "督查办群", By: "王五", To: []string{"住建局工作群"}}
	for _, id := range []string{"dingtalk|m1", "dingtalk|m1", "dingtalk|m2"} { // m1 delivered twice
		if _, err := l.Record(t.Context(), id, u); err != nil {
			t.Fatal(err)
		}
	}
	if n := l.Count(kb.KeyTasks, 76); n != 2 {
		t.Errorf("Count after two urgings (one delivered twice) = %d, want 2", n)
	}
	if n := l.Count(kb.KeyTasks, 77); n != 0 {
		t.Errorf("another task's count = %d", n)
	}
	h, err := l.History(t.Context(), kb.KeyTasks, 76)
	if err != nil || len(h) != 2 || h[0].From != "督查办群" || !h[0].At.Equal(now) {
		t.Errorf("History = %+v, %v", h, err)
	}
	// A fresh log (another replica, a restart) reads the counts back.
	if n := NewUrgeLog(st, nil).Count(kb.KeyTasks, 76); n != 2 {
		t.Errorf("a new log's Count = %d, want 2", n)
	}
	// Status keys are not urgings, nor the other way round.
	if cur, err := New(st, Config{}).Current(t.Context()); err != nil || len(cur) != 0 {
		t.Errorf("statuses after urgings = %v, %v; want none", cur, err)
	}
}
