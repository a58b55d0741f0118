package memstore

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban/store/storetest"
)

// openManual opens a store whose dedup keys and conversations reach the
// file only when the test flushes, sweeps or closes.
func openManual(t *testing.T, dir string, clock *storetest.FakeClock) *Store {
	t.Helper()
	s, err := Open(Config{Dir: dir, Now: clock.Now, SweepEvery: -1, FlushEvery: -1})
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// onDisk reports whether bucket holds key in s's file.
func onDisk(t *testing.T, s *Store, bucket []byte, key string) bool {
	t.Helper()
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		found = tx.Bucket(bucket).Get([]byte(key)) != nil
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestFlush checks that dedup keys and conversations are answered from
// memory at once and written to the file by the flush, not before.
func TestFlush(t *testing.T) {
	ctx := t.Context()
	s := openManual(t, t.TempDir(), storetest.NewFakeClock(epoch))
	must(t)(s.FirstSeen(ctx, "msg", time.Hour))
	if err := s.Put(ctx, "chat|user", []byte("turn"), time.Hour); err != nil {
		t.Fatal(err)
	}
	for _, when := range []string{"before flush", "after flush"} {
		if when == "after flush" {
			if err := s.flush(); err != nil {
				t.Fatalf("flush: %v", err)
			}
		}
		want := when == "after flush"
		if got := onDisk(t, s, bucketDedup, "msg"); got != want {
			t.Errorf("%s: dedup key on disk = %v, want %v", when, got, want)
		}
		if got := onDisk(t, s, bucketConv, "chat|user"); got != want {
			t.Errorf("%s: conversation on disk = %v, want %v", when, got, want)
		}
		if v, ok, err := s.Get(ctx, "chat|user"); err != nil || !ok || string(v) != "turn" {
			t.Errorf("%s: Get = %q, %v, %v; want turn", when, v, ok, err)
		}
	}
}

// TestBackgroundFlush checks that the flusher writes a dedup key within
// FlushEvery, with no Close and no explicit flush.
func TestBackgroundFlush(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := Open(Config{Dir: t.TempDir(), SweepEvery: -1, FlushEvery: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		must(t)(s.FirstSeen(t.Context(), "msg", time.Minute))
		time.Sleep(50 * time.Millisecond)
		synctest.Wait()
		if onDisk(t, s, bucketDedup, "msg") {
			t.Fatal("dedup key on disk before the first flush tick")
		}
		time.Sleep(60 * time.Millisecond)
		synctest.Wait()
		if !onDisk(t, s, bucketDedup, "msg") {
			t.Fatal("dedup key not on disk after a flush tick")
		}
	})
}

// TestCrash copies the file as a killed process would leave it: the
// ledger and journal are there, the unflushed dedup key and conversation
// are not, which is the loss the package doc accepts.
func TestCrash(t *testing.T) {
	ctx := t.Context()
	clock := storetest.NewFakeClock(epoch)
	s := openManual(t, t.TempDir(), clock)
	must(t)(s.FirstSeen(ctx, "flushed", time.Hour))
	if err := s.flush(); err != nil {
		t.Fatal(err)
	}
	must(t)(s.FirstSeen(ctx, "unflushed", time.Hour))
	if err := s.Put(ctx, "chat|user", []byte("turn"), time.Hour); err != nil {
		t.Fatal(err)
	}
	must(t)(s.Claim(ctx, "reminder", testOwner, time.Minute))
	if err := s.Confirm(ctx, "reminder", testOwner, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, "key_tasks/76", []byte("done")); err != nil {
		t.Fatal(err)
	}
	crashed := t.TempDir()
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.CopyFile(filepath.Join(crashed, FileName), 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}

	c := openManual(t, crashed, clock)
	checks := []struct {
		name string
		got  func() (bool, error)
		want bool
	}{
		{"flushed dedup key is kept", func() (bool, error) { return c.FirstSeen(ctx, "flushed", time.Hour) }, false},
		{"unflushed dedup key is lost", func() (bool, error) { return c.FirstSeen(ctx, "unflushed", time.Hour) }, true},
		{"confirmed reminder is kept", func() (bool, error) { return c.Sent(ctx, "reminder") }, true},
		{"unflushed conversation is lost", func() (bool, error) { _, ok, err := c.Get(ctx, "chat|user"); return ok, err }, false},
	}
	for _, tt := range checks {
		got, err := tt.got()
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	if l, err := c.List(ctx, "key_tasks/76"); err != nil || len(l) != 1 {
		t.Errorf("journal after crash = %q, %v; want one entry", l, err)
	}
}

// TestSweptKeyStaysGone checks that a conversation renewed with a shorter
// ttl, then expired and swept, does not come back from the older, longer
// lived copy in the file.
func TestSweptKeyStaysGone(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	clock := storetest.NewFakeClock(epoch)
	s := openManual(t, dir, clock)
	if err := s.Put(ctx, "k", []byte("old"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.flush(); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "k", []byte("new"), time.Minute); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Minute)
	if err := s.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if n := s.conv.len(); n != 0 {
		t.Errorf("%d conversations in memory after sweep, want 0", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openManual(t, dir, clock)
	if v, ok, err := s.Get(ctx, "k"); err != nil || ok {
		t.Errorf("Get after restart = %q, %v, %v; want missing", v, ok, err)
	}
}

// TestDeletedKeyStaysGone checks that a deleted conversation, already in
// the file, is deleted from the file by the next flush and stays gone
// after a restart.
func TestDeletedKeyStaysGone(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	clock := storetest.NewFakeClock(epoch)
	s := openManual(t, dir, clock)
	if err := s.Put(ctx, "k", []byte("v"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.flush(); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if err := s.flush(); err != nil {
		t.Fatal(err)
	}
	if onDisk(t, s, bucketConv, "k") {
		t.Error("deleted conversation still on disk after flush")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openManual(t, dir, clock)
	if v, ok, err := s.Get(ctx, "k"); err != nil || ok {
		t.Errorf("Get after restart = %q, %v, %v; want missing", v, ok, err)
	}
}

// TestFlushConcurrent writes from many goroutines while flushing, then
// restarts: every key must be back, whichever flush wrote it.
func TestFlushConcurrent(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	clock := storetest.NewFakeClock(epoch)
	s := openManual(t, dir, clock)
	const writers, each = 8, 50
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				k := fmt.Sprintf("w%d/%d", w, i)
				if _, err := s.FirstSeen(ctx, k, time.Hour); err != nil {
					t.Error(err)
				}
				if err := s.Put(ctx, k, []byte(k), time.Hour); err != nil {
					t.Error(err)
				}
			}
		})
	}
	flushed := make(chan struct{})
	go func() {
		defer close(flushed)
		for range 20 {
			if err := s.flush(); err != nil {
				t.Error(err)
			}
		}
	}()
	wg.Wait()
	<-flushed
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openManual(t, dir, clock)
	for w := range writers {
		for i := range each {
			k := fmt.Sprintf("w%d/%d", w, i)
			if first, err := s.FirstSeen(ctx, k, time.Hour); err != nil || first {
				t.Fatalf("FirstSeen(%q) after restart = %v, %v; want false", k, first, err)
			}
			if v, ok, err := s.Get(ctx, k); err != nil || !ok || string(v) != k {
				t.Fatalf("Get(%q) after restart = %q, %v, %v", k, v, ok, err)
			}
		}
	}
}

// TestValuesAreCopied checks that neither the caller's buffer after Put
// nor the slice Get returned can change what the store holds.
func TestValuesAreCopied(t *testing.T) {
	ctx := t.Context()
	s := openManual(t, t.TempDir(), storetest.NewFakeClock(epoch))
	buf := []byte("abc")
	if err := s.Put(ctx, "k", buf, time.Hour); err != nil {
		t.Fatal(err)
	}
	buf[0] = 'X'
	v, _, _ := s.Get(ctx, "k")
	v[1] = 'Y'
	if v, _, _ := s.Get(ctx, "k"); string(v) != "abc" {
		t.Errorf("Get = %q, want abc", v)
	}
}

// TestClosedVolatile checks that the in-memory tables refuse calls after
// Close, so nothing is accepted that no flush will write.
func TestClosedVolatile(t *testing.T) {
	s := openManual(t, t.TempDir(), storetest.NewFakeClock(epoch))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(t.Context(), "k", []byte("v"), time.Minute); err == nil {
		t.Error("Put after Close: nil error")
	}
	if _, _, err := s.Get(t.Context(), "k"); err == nil {
		t.Error("Get after Close: nil error")
	}
	if err := s.Delete(t.Context(), "k"); err == nil {
		t.Error("Delete after Close: nil error")
	}
}

// TestFlushChunks checks that a backlog larger than one commit is written
// whole, across several commits.
func TestFlushChunks(t *testing.T) {
	ctx := t.Context()
	s := openManual(t, t.TempDir(), storetest.NewFakeClock(epoch))
	const n = 2*flushChunk + 10
	for i := range n {
		must(t)(s.FirstSeen(ctx, fmt.Sprintf("msg-%d", i), time.Hour))
	}
	if err := s.flush(); err != nil {
		t.Fatal(err)
	}
	if got := keysOnDisk(t, s, bucketDedup); got != n {
		t.Errorf("%d dedup keys on disk, want %d", got, n)
	}
}

// TestFlushRetry checks that a failed flush keeps its keys dirty, so the
// next flush writes them.
func TestFlushRetry(t *testing.T) {
	ctx := t.Context()
	s := openManual(t, t.TempDir(), storetest.NewFakeClock(epoch))
	must(t)(s.FirstSeen(ctx, "msg", time.Hour))
	path := s.Path()
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.flush(); err == nil {
		t.Fatal("flush to a closed file: nil error")
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.db = db
	if err := s.flush(); err != nil {
		t.Fatal(err)
	}
	if !onDisk(t, s, bucketDedup, "msg") {
		t.Error("dedup key of the failed flush not on disk after the next one")
	}
}

// keysOnDisk returns how many keys bucket holds in s's file.
func keysOnDisk(t *testing.T, s *Store, bucket []byte) int {
	t.Helper()
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucket).Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
