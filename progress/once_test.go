package progress

import (
	"sync"
	"testing"

	"duban/kb"
	"duban/store"
	"duban/store/redisstore"
	"duban/store/redisstore/redistest"
)

// TestRecordOnceAcrossReplicas: one report message delivered to three
// replicas (each with its own Tracker, all on one journal) while no dedup
// store answers is one entry; then one 撤销 delivered to three replicas
// withdraws that report only, leaving the earlier one in force. On the
// embedded store and on Redis.
func TestRecordOnceAcrossReplicas(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(t *testing.T) []store.Journal
	}{
		{"memstore", func(t *testing.T) []store.Journal {
			st := openMem(t, t.TempDir())
			t.Cleanup(func() { st.Close() })
			return []store.Journal{st, st, st}
		}},
		{"redis", func(t *testing.T) []store.Journal {
			srv := redistest.Start(t)
			var js []store.Journal
			for range 3 {
				s, err := redisstore.New(redisstore.Config{URL: srv.URL(), Prefix: "once-test:"})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				js = append(js, s)
			}
			return js
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var replicas []*Tracker
			for _, j := range tc.open(t) {
				replicas = append(replicas, New(j, Config{}))
			}
			ctx := t.Context()
			if _, err := replicas[0].Record(ctx, report(kb.KeyTasks, 76, kb.InProgress, "已招标")); err != nil {
				t.Fatal(err)
			}

			added := make([]bool, len(replicas))
			errs := make([]error, len(replicas))
			var wg sync.WaitGroup
			for i, tr := range replicas {
				wg.Go(func() {
					_, added[i], errs[i] = tr.RecordOnce(ctx, "wecom|msg-7", report(kb.KeyTasks, 76, kb.Done, ""))
				})
			}
			wg.Wait()
			h := history(t, replicas[0], errs)
			if len(h) != 2 || countAdded(added) != 1 {
				t.Fatalf("after one report on 3 replicas: %d entries, added %v; want 2 entries, one added", len(h), added)
			}

			targets := make([]int64, len(replicas))
			for i, tr := range replicas {
				wg.Go(func() {
					var e Entry
					_, e, added[i], errs[i] = tr.UndoOnce(ctx, "wecom|msg-8", kb.KeyTasks, 76, "", report(kb.KeyTasks, 76, "", ""))
					targets[i] = e.Seq
				})
			}
			wg.Wait()
			h = history(t, replicas[0], errs)
			if len(h) != 3 || countAdded(added) != 1 {
				t.Fatalf("after one undo on 3 replicas: %d entries, added %v; want 3 entries, one added", len(h), added)
			}
			for i, s := range targets {
				if s != 2 {
					t.Errorf("replica %d: undo names entry %d, want 2 (the report undone)", i, s)
				}
			}
			// A retry after the undo landed sees 进行中 in force, yet
			// withdraws nothing and names the entry the undo withdrew.
			seq, e, again, err := replicas[1].UndoOnce(ctx, "wecom|msg-8", kb.KeyTasks, 76, "", report(kb.KeyTasks, 76, "", ""))
			if err != nil || again || seq != 3 || e.Seq != 2 {
				t.Errorf("late retry of the undo: seq %d, entry %d, added %v, err %v; want 3, 2, false, nil", seq, e.Seq, again, err)
			}
			h = history(t, replicas[0], nil)
			if s, ok := Fold(h); !ok || s.State != kb.InProgress {
				t.Errorf("status after the undo = %+v %v, want the earlier 进行中 in force", s, ok)
			}
		})
	}
}

func history(t *testing.T, tr *Tracker, errs []error) []Entry {
	t.Helper()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
	}
	h, err := tr.History(t.Context(), kb.KeyTasks, 76)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func countAdded(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
