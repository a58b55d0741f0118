package progress

import (
	"context"
	"errors"
	"testing"
	"time"

	"duban/kb"
	"duban/store"
)

func report(t kb.Table, no int, st kb.State, note string) kb.Status {
	return kb.Status{Table: t, No: no, State: st, Note: note, Unit: "住建局", Chat: "cid-zjj", User: "王五"}
}

func TestTrackerHistoryAndFold(t *testing.T) {
	st := openMem(t, t.TempDir())
	defer st.Close()
	c := newClock()
	tr := New(st, Config{Now: c.Now})
	ctx := t.Context()

	steps := []struct {
		name string
		do   func() error
		want kb.State // "" : no report in force
		note string
	}{
		{"progress", func() error {
			_, err := tr.Record(ctx, report(kb.KeyTasks, 76, kb.InProgress, "已完成招标"))
			return err
		}, kb.InProgress, "已完成招标"},
		{"done", func() error {
			_, err := tr.Record(ctx, report(kb.KeyTasks, 76, kb.Done, "已验收"))
			return err
		}, kb.Done, "已验收"},
		{"undo done", func() error {
			_, e, err := tr.Undo(ctx, kb.KeyTasks, 76, kb.Done, kb.Status{Unit: "住建局", User: "王五"})
			if err == nil && e.State != kb.Done {
				return errors.New("undid " + string(e.State))
			}
			return err
		}, kb.InProgress, "已完成招标"},
		{"undo progress", func() error {
			_, _, err := tr.Undo(ctx, kb.KeyTasks, 76, "", kb.Status{})
			return err
		}, "", ""},
		{"nothing left", func() error {
			_, _, err := tr.Undo(ctx, kb.KeyTasks, 76, "", kb.Status{})
			if !errors.Is(err, ErrNothingToUndo) {
				return errors.New("want ErrNothingToUndo")
			}
			return nil
		}, "", ""},
		{"extension", func() error {
			s := report(kb.KeyTasks, 76, kb.Extension, "原因：拆迁")
			s.Extension = "10月底"
			_, err := tr.Record(ctx, s)
			return err
		}, kb.Extension, "原因：拆迁"},
	}
	for _, s := range steps {
		c.Add(time.Hour)
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got, ok := tr.Lookup(kb.KeyTasks, 76)
		if ok != (s.want != "") || got.State != s.want || got.Note != s.note {
			t.Fatalf("%s: Lookup = %+v, %v; want state %q note %q", s.name, got, ok, s.want, s.note)
		}
	}
	h, err := tr.History(ctx, kb.KeyTasks, 76)
	if err != nil {
		t.Fatal(err)
	}
	wantStates := []kb.State{kb.InProgress, kb.Done, kb.Undone, kb.Undone, kb.Extension}
	if len(h) != len(wantStates) {
		t.Fatalf("History has %d entries, want %d: %+v", len(h), len(wantStates), h)
	}
	for i, e := range h {
		if e.Seq != int64(i+1) || e.State != wantStates[i] {
			t.Errorf("History[%d] = seq %d %s, want seq %d %s", i, e.Seq, e.State, i+1, wantStates[i])
		}
		if i > 0 && !e.At.After(h[i-1].At) {
			t.Errorf("History[%d].At %v not after %v", i, e.At, h[i-1].At)
		}
	}
	if h[2].Undoes != 2 || h[3].Undoes != 1 {
		t.Errorf("undo targets = %d, %d; want 2, 1", h[2].Undoes, h[3].Undoes)
	}
	if h[4].Extension != "10月底" {
		t.Errorf("extension = %q", h[4].Extension)
	}
}

func TestTrackerSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	st := openMem(t, dir)
	tr := New(st, Config{})
	if _, err := tr.Record(t.Context(), report(kb.PeopleProjects, 12, kb.Done, "")); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st = openMem(t, dir)
	defer st.Close()
	cur, err := New(st, Config{}).Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if s := cur[Key{kb.PeopleProjects, 12}]; s.State != kb.Done || s.User != "王五" {
		t.Errorf("after restart: %+v", cur)
	}
}

func TestRecordRejects(t *testing.T) {
	st := openMem(t, t.TempDir())
	defer st.Close()
	tr := New(st, Config{})
	for _, s := range []kb.Status{
		{Table: kb.KeyTasks, State: kb.Done},
		{Table: kb.KeyTasks, No: 1, State: "好了"},
		{Table: kb.KeyTasks, No: 1, State: kb.Undone},
	} {
		if _, err := tr.Record(t.Context(), s); err == nil {
			t.Errorf("Record(%+v) = nil error", s)
		}
	}
}

// TestSnapshotTTL: a report recorded by another replica (another Tracker
// on the same journal) shows in Lookup once the snapshot is TTL old.
func TestSnapshotTTL(t *testing.T) {
	st := openMem(t, t.TempDir())
	defer st.Close()
	c := newClock()
	a := New(st, Config{Now: c.Now, TTL: 5 * time.Second})
	b := New(st, Config{Now: c.Now, TTL: 5 * time.Second})
	if _, ok := a.Lookup(kb.KeyTasks, 76); ok {
		t.Fatal("status before any report")
	}
	if _, err := b.Record(t.Context(), report(kb.KeyTasks, 76, kb.Done, "")); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.Lookup(kb.KeyTasks, 76); ok {
		t.Fatal("replica a saw b's report before its TTL")
	}
	c.Add(5 * time.Second)
	if s, ok := a.Lookup(kb.KeyTasks, 76); !ok || s.State != kb.Done {
		t.Fatalf("after TTL: %+v, %v", s, ok)
	}
}

// failingJournal fails every call after fail is set.
type failingJournal struct {
	store.Journal
	fail bool
}

func (f *failingJournal) Keys(ctx context.Context) ([]string, error) {
	if f.fail {
		return nil, errors.New("down")
	}
	return f.Journal.Keys(ctx)
}

func TestSnapshotKeptWhenStoreFails(t *testing.T) {
	st := openMem(t, t.TempDir())
	defer st.Close()
	c := newClock()
	j := &failingJournal{Journal: st}
	tr := New(j, Config{Now: c.Now})
	if _, err := tr.Record(t.Context(), report(kb.KeyTasks, 76, kb.Done, "")); err != nil {
		t.Fatal(err)
	}
	if _, ok := tr.Lookup(kb.KeyTasks, 76); !ok {
		t.Fatal("no status")
	}
	j.fail = true
	c.Add(time.Minute)
	if s, ok := tr.Lookup(kb.KeyTasks, 76); !ok || s.State != kb.Done {
		t.Fatalf("store down: Lookup = %+v, %v; want the last snapshot", s, ok)
	}
}
