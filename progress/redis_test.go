package progress

import (
	"fmt"
	"sync"
	"testing"

	"duban/kb"
	"duban/store/redisstore"
	"duban/store/redisstore/redistest"
)

// TestConcurrentReplicas: two replicas, each with its own Redis client and
// Tracker, record reports on the same tasks at once. Every report is kept,
// each replica's reports stay in the order it made them, sequence numbers
// are 1..n, and both replicas fold the same current status.
func TestConcurrentReplicas(t *testing.T) {
	srv := redistest.Start(t)
	open := func() *redisstore.Store {
		s, err := redisstore.New(redisstore.Config{URL: srv.URL(), Prefix: "progress-test:"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	replicas := []*Tracker{New(open(), Config{}), New(open(), Config{})}
	const each = 40
	tasks := []int{76, 77}
	var wg sync.WaitGroup
	errs := make(chan error, len(replicas)*len(tasks))
	for r, tr := range replicas {
		for _, no := range tasks {
			wg.Go(func() {
				for i := range each {
					s := kb.Status{Table: kb.KeyTasks, No: no, State: kb.InProgress, Note: fmt.Sprintf("r%d-%d", r, i), Chat: fmt.Sprintf("replica-%d", r)}
					if _, err := tr.Record(t.Context(), s); err != nil {
						errs <- err
						return
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, no := range tasks {
		h, err := replicas[0].History(t.Context(), kb.KeyTasks, no)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != len(replicas)*each {
			t.Fatalf("task %d: %d entries, want %d", no, len(h), len(replicas)*each)
		}
		next := map[int]int{}
		for i, e := range h {
			if e.Seq != int64(i+1) {
				t.Fatalf("task %d: entry %d has seq %d", no, i, e.Seq)
			}
			var r, k int
			if _, err := fmt.Sscanf(e.Note, "r%d-%d", &r, &k); err != nil {
				t.Fatalf("entry %q: %v", e.Note, err)
			}
			if k != next[r] {
				t.Fatalf("task %d: entry %q out of order, want r%d-%d", no, e.Note, r, next[r])
			}
			next[r]++
		}
		last := h[len(h)-1]
		for i, tr := range replicas {
			cur, err := tr.Current(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if got := cur[Key{kb.KeyTasks, no}]; got.Note != last.Note {
				t.Errorf("replica %d: task %d current %q, want the last entry %q", i, no, got.Note, last.Note)
			}
		}
	}
	// An undo from one replica is seen by the other.
	if _, _, err := replicas[1].Undo(t.Context(), kb.KeyTasks, 76, "", kb.Status{}); err != nil {
		t.Fatal(err)
	}
	h, _ := replicas[0].History(t.Context(), kb.KeyTasks, 76)
	s, ok, err := replicas[0].Status(t.Context(), kb.KeyTasks, 76)
	if err != nil || !ok || s.Note != h[len(h)-3].Note {
		t.Errorf("after undo: %+v, %v, %v; want the entry before the undone one (%q)", s, ok, err, h[len(h)-3].Note)
	}
}
