package storetest

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"
)

var journalTests = []contractTest{
	{"append order and seq", testJournalOrder},
	{"missing key", testJournalMissing},
	{"keys sorted", testJournalKeys},
	{"concurrent appends", testJournalConcurrent},
	{"never expires", testJournalPermanent},
}

func appendEntry(t *testing.T, h Harness, key string, v []byte) int64 {
	t.Helper()
	seq, err := h.Store.Append(t.Context(), key, v)
	if err != nil {
		t.Fatalf("Append(%q): %v", key, err)
	}
	return seq
}

func list(t *testing.T, h Harness, key string) [][]byte {
	t.Helper()
	l, err := h.Store.List(t.Context(), key)
	if err != nil {
		t.Fatalf("List(%q): %v", key, err)
	}
	return l
}

func keys(t *testing.T, h Harness) []string {
	t.Helper()
	k, err := h.Store.Keys(t.Context())
	if err != nil {
		t.Fatalf("Keys: %v", err)
	}
	return k
}

func testJournalOrder(t *testing.T, h Harness) {
	entries := [][]byte{[]byte(`{"status":"进行中"}`), {0, 1, 2}, []byte(`{"undo":1}`)}
	for i, e := range entries {
		if seq := appendEntry(t, h, "key_tasks/76", e); seq != int64(i+1) {
			t.Fatalf("Append %d: seq %d, want %d", i, seq, i+1)
		}
	}
	got := list(t, h, "key_tasks/76")
	if !slices.EqualFunc(got, entries, bytes.Equal) {
		t.Fatalf("List = %q, want %q", got, entries)
	}
	if seq := appendEntry(t, h, "other", []byte("x")); seq != 1 {
		t.Fatalf("first Append to another key: seq %d, want 1", seq)
	}
}

func testJournalMissing(t *testing.T, h Harness) {
	if l := list(t, h, "nothing"); len(l) != 0 {
		t.Fatalf("List of a missing key = %q, want empty", l)
	}
	if k := keys(t, h); len(k) != 0 {
		t.Fatalf("Keys of an empty journal = %q, want empty", k)
	}
}

func testJournalKeys(t *testing.T, h Harness) {
	for _, k := range []string{"people_projects/12", "key_tasks/76", "key_tasks/100", "key_tasks/76"} {
		appendEntry(t, h, k, []byte("e"))
	}
	want := []string{"key_tasks/100", "key_tasks/76", "people_projects/12"}
	if got := keys(t, h); !slices.Equal(got, want) {
		t.Fatalf("Keys = %q, want %q", got, want)
	}
}

func testJournalConcurrent(t *testing.T, h Harness) {
	const n, each = 50, 4
	seqs := make([][]int64, n)
	errs := make([]error, n)
	parallel(n, func(i int) {
		for j := range each {
			seq, err := h.Store.Append(t.Context(), "busy", fmt.Appendf(nil, "%d-%d", i, j))
			if err != nil {
				errs[i] = err
				return
			}
			seqs[i] = append(seqs[i], seq)
		}
	})
	var all []int64
	for i, err := range errs {
		if err != nil {
			t.Fatalf("goroutine %d: %v", i, err)
		}
		if !slices.IsSorted(seqs[i]) {
			t.Errorf("goroutine %d: seqs %v not increasing", i, seqs[i])
		}
		all = append(all, seqs[i]...)
	}
	slices.Sort(all)
	for i, s := range all {
		if s != int64(i+1) {
			t.Fatalf("seqs = %v, want 1..%d once each", all, n*each)
		}
	}
	got := list(t, h, "busy")
	if len(got) != n*each {
		t.Fatalf("List has %d entries, want %d", len(got), n*each)
	}
	// Each goroutine's entries appear in the order it appended them.
	next := make(map[int]int)
	for _, e := range got {
		var i, j int
		if _, err := fmt.Sscanf(string(e), "%d-%d", &i, &j); err != nil {
			t.Fatalf("entry %q: %v", e, err)
		}
		if j != next[i] {
			t.Fatalf("entry %q out of order: want %d-%d", e, i, next[i])
		}
		next[i]++
	}
}

func testJournalPermanent(t *testing.T, h Harness) {
	appendEntry(t, h, "k", []byte("e"))
	h.Advance(1000 * 24 * time.Hour)
	if l := list(t, h, "k"); len(l) != 1 {
		t.Fatalf("List after 1000 days = %q, want one entry", l)
	}
}
