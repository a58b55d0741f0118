package memstore

import (
	"bytes"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban/store"
	"duban/store/storetest"
)

var epoch = time.Date(2020, 8, 3, 9, 0, 0, 0, time.UTC)

func open(t *testing.T, dir string, clock *storetest.FakeClock) *Store {
	t.Helper()
	s, err := Open(Config{Dir: dir, Now: clock.Now, SweepEvery: -1})
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Harness {
		clock := storetest.NewFakeClock(epoch)
		return storetest.Harness{Store: open(t, t.TempDir(), clock), Advance: clock.Advance}
	})
}

// TestRestart closes the store and opens the same directory again: the
// ledger, the journal, unexpired dedup keys and conversations and the
// fencing counters survive; expired keys do not come back. Dedup keys and
// conversations reach the file through Close's final flush at the latest.
// testOwner holds the claims of these tests; the contract suite covers
// owners racing.
var testOwner = store.Owner{Lock: "tick", Token: 1}

func TestRestart(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	clock := storetest.NewFakeClock(epoch)
	s := open(t, dir, clock)

	must(t)(s.FirstSeen(ctx, "msg-short", time.Minute))
	must(t)(s.FirstSeen(ctx, "msg-long", time.Hour))
	must(t)(s.Claim(ctx, "sent", testOwner, time.Minute))
	if err := s.Confirm(ctx, "sent", testOwner, 0); err != nil {
		t.Fatal(err)
	}
	must(t)(s.Claim(ctx, "claimed", testOwner, 10*time.Minute))
	for _, e := range []string{"a", "b"} {
		if _, err := s.Append(ctx, "key_tasks/76", []byte(e)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Put(ctx, "chat|user", []byte("ctx"), time.Hour); err != nil {
		t.Fatal(err)
	}
	tok, err := s.Lock(ctx, "tick", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	clock.Advance(2 * time.Minute)
	s = open(t, dir, clock)
	tests := []struct {
		name string
		got  func() (bool, error)
		want bool
	}{
		{"expired dedup key is new", func() (bool, error) { return s.FirstSeen(ctx, "msg-short", time.Minute) }, true},
		{"unexpired dedup key is kept", func() (bool, error) { return s.FirstSeen(ctx, "msg-long", time.Minute) }, false},
		{"confirmed key is sent", func() (bool, error) { return s.Sent(ctx, "sent") }, true},
		{"confirmed key is not claimable", func() (bool, error) { return s.Claim(ctx, "sent", testOwner, time.Minute) }, false},
		{"unexpired claim is kept", func() (bool, error) {
			return s.Claim(ctx, "claimed", store.Owner{Lock: "other", Token: 9}, time.Minute)
		}, false},
	}
	for _, tt := range tests {
		got, err := tt.got()
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	l, err := s.List(ctx, "key_tasks/76")
	if err != nil || !slices.EqualFunc(l, [][]byte{[]byte("a"), []byte("b")}, bytes.Equal) {
		t.Errorf("journal after restart = %q, %v; want [a b]", l, err)
	}
	if seq, err := s.Append(ctx, "key_tasks/76", []byte("c")); err != nil || seq != 3 {
		t.Errorf("Append after restart = %d, %v; want 3", seq, err)
	}
	if v, ok, err := s.Get(ctx, "chat|user"); err != nil || !ok || string(v) != "ctx" {
		t.Errorf("conversation after restart = %q, %v, %v; want ctx", v, ok, err)
	}
	// The lease died with the process, but the fencing counter did not.
	tok2, err := s.Lock(ctx, "tick", time.Minute)
	if err != nil || tok2 <= tok {
		t.Errorf("Lock after restart = %d, %v; want a token above %d", tok2, err, tok)
	}
}

// must returns a function that fails t on the error of a (bool, error) call.
func must(t *testing.T) func(bool, error) {
	return func(_ bool, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestExclusiveFile checks that a second Open of a directory in use fails
// instead of sharing the file.
func TestExclusiveFile(t *testing.T) {
	dir := t.TempDir()
	open(t, dir, storetest.NewFakeClock(epoch))
	s, err := Open(Config{Dir: dir, OpenTimeout: 50 * time.Millisecond, SweepEvery: -1})
	if err == nil {
		s.Close()
		t.Fatal("second Open of a directory in use succeeded")
	}
}

// TestSweep checks that expired records leave the file.
func TestSweep(t *testing.T) {
	ctx := t.Context()
	clock := storetest.NewFakeClock(epoch)
	s := open(t, t.TempDir(), clock)
	must(t)(s.FirstSeen(ctx, "old", time.Minute))
	must(t)(s.Claim(ctx, "claim", testOwner, time.Minute))
	if err := s.Put(ctx, "conv", []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	must(t)(s.FirstSeen(ctx, "new", time.Hour))
	clock.Advance(2 * time.Minute)
	if err := s.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketDedup, bucketLedger, bucketConv} {
			counts[string(b)] = tx.Bucket(b).Stats().KeyN
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"dedup": 1, "ledger": 0, "conv": 0}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("bucket %s has %d records after sweep, want %d", k, counts[k], n)
		}
	}
}

func TestClosed(t *testing.T) {
	s := open(t, t.TempDir(), storetest.NewFakeClock(epoch))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(t.Context()); err == nil {
		t.Error("Ping after Close: nil error")
	}
	if _, err := s.FirstSeen(t.Context(), "k", time.Minute); err == nil {
		t.Error("FirstSeen after Close: nil error")
	}
	if _, err := s.Reserve(t.Context(), "k", 1, time.Second); err == nil {
		t.Error("Reserve after Close: nil error")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func BenchmarkStore(b *testing.B) {
	for _, bc := range []struct {
		name  string
		delay time.Duration
	}{
		{"batch", 0}, // the default, 1 ms
		{"nobatch", -1},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s, err := Open(Config{Dir: b.TempDir(), SweepEvery: -1, BatchDelay: bc.delay})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			storetest.Bench(b, s)
		})
	}
}
