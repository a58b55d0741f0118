package storetest

import (
	"bytes"
	"slices"
	"testing"

	"duban/store"
)

var onceTests = []contractTest{
	{"same id three times at once", testOnceConcurrent},
	{"known id returns its entry", testOnceKnown},
	{"ids per key", testOncePerKey},
	{"mixed with Append", testOnceMixed},
	{"empty id", testOnceEmptyID},
}

func onceJournal(t *testing.T, h Harness) store.OnceJournal {
	t.Helper()
	j, ok := h.Store.(store.OnceJournal)
	if !ok {
		t.Fatalf("%T does not implement store.OnceJournal", h.Store)
	}
	return j
}

func appendOnce(t *testing.T, j store.OnceJournal, key, id string, v []byte) (int64, bool) {
	t.Helper()
	seq, added, err := j.AppendOnce(t.Context(), key, id, v)
	if err != nil {
		t.Fatalf("AppendOnce(%q, %q): %v", key, id, err)
	}
	return seq, added
}

// testOnceConcurrent is a report delivered to three replicas at once while
// no Deduper answers: one entry, one caller told it added it.
func testOnceConcurrent(t *testing.T, h Harness) {
	j := onceJournal(t, h)
	const n = 3
	entry := []byte(`{"table":"key_tasks","no":76,"state":"已完成"}`)
	seqs := make([]int64, n)
	added := make([]bool, n)
	errs := make([]error, n)
	parallel(n, func(i int) {
		seqs[i], added[i], errs[i] = j.AppendOnce(t.Context(), "key_tasks/76", "wecom|msg-1", entry)
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: AppendOnce: %v", i, err)
		}
	}
	if got := list(t, h, "key_tasks/76"); !slices.EqualFunc(got, [][]byte{entry}, bytes.Equal) {
		t.Fatalf("List = %q, want the one entry", got)
	}
	if c := countTrue(added); c != 1 {
		t.Errorf("added = %v, want exactly one true", added)
	}
	for i, s := range seqs {
		if s != 1 {
			t.Errorf("replica %d: seq %d, want 1", i, s)
		}
	}
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

func testOnceKnown(t *testing.T, h Harness) {
	j := onceJournal(t, h)
	if seq, added := appendOnce(t, j, "k", "a", []byte("1")); seq != 1 || !added {
		t.Fatalf("first a: seq %d added %v, want 1 true", seq, added)
	}
	if seq, added := appendOnce(t, j, "k", "b", []byte("2")); seq != 2 || !added {
		t.Fatalf("b: seq %d added %v, want 2 true", seq, added)
	}
	// A retry with another value (a later timestamp) is still the same report.
	if seq, added := appendOnce(t, j, "k", "a", []byte("1 again")); seq != 1 || added {
		t.Fatalf("a again: seq %d added %v, want 1 false", seq, added)
	}
	want := [][]byte{[]byte("1"), []byte("2")}
	if got := list(t, h, "k"); !slices.EqualFunc(got, want, bytes.Equal) {
		t.Fatalf("List = %q, want %q", got, want)
	}
}

// testOncePerKey: one message may report several tasks (76、77号已完成),
// so an id is unique per key, not across the journal.
func testOncePerKey(t *testing.T, h Harness) {
	j := onceJournal(t, h)
	for _, k := range []string{"key_tasks/76", "key_tasks/77", "key_tasks/76"} {
		appendOnce(t, j, k, "m1", []byte("e"))
	}
	for _, k := range []string{"key_tasks/76", "key_tasks/77"} {
		if got := list(t, h, k); len(got) != 1 {
			t.Errorf("List(%q) = %q, want one entry", k, got)
		}
	}
	if got, want := keys(t, h), []string{"key_tasks/76", "key_tasks/77"}; !slices.Equal(got, want) {
		t.Errorf("Keys = %q, want %q", got, want)
	}
}

func testOnceMixed(t *testing.T, h Harness) {
	j := onceJournal(t, h)
	appendEntry(t, h, "k", []byte("plain"))
	if seq, added := appendOnce(t, j, "k", "x", []byte("once")); seq != 2 || !added {
		t.Fatalf("AppendOnce after Append: seq %d added %v, want 2 true", seq, added)
	}
	if seq := appendEntry(t, h, "k", []byte("plain 2")); seq != 3 {
		t.Fatalf("Append after AppendOnce: seq %d, want 3", seq)
	}
	if seq, added := appendOnce(t, j, "k", "x", []byte("once")); seq != 2 || added {
		t.Fatalf("AppendOnce again: seq %d added %v, want 2 false", seq, added)
	}
	if got := list(t, h, "k"); len(got) != 3 {
		t.Fatalf("List = %q, want 3 entries", got)
	}
}

func testOnceEmptyID(t *testing.T, h Harness) {
	j := onceJournal(t, h)
	if _, _, err := j.AppendOnce(t.Context(), "k", "", []byte("e")); err == nil {
		t.Fatal("AppendOnce with an empty id: no error")
	}
	if got := list(t, h, "k"); len(got) != 0 {
		t.Fatalf("List = %q after a refused AppendOnce, want empty", got)
	}
}
