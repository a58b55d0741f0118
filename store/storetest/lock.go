package storetest

import (
	"errors"
	"testing"
	"time"

	"duban/store"
)

var lockTests = []contractTest{
	{"exclusive", testLockExclusive},
	{"expiry lets another take it", testLockExpiry},
	{"fencing tokens increase", testLockFencing},
	{"stale token", testLockStale},
	{"extend", testLockExtend},
	{"names are independent", testLockIndependent},
	{"concurrent", testLockConcurrent},
}

const leaseTTL = time.Minute

func lock(t *testing.T, h Harness, name string) int64 {
	t.Helper()
	tok, err := h.Store.Lock(t.Context(), name, leaseTTL)
	if err != nil {
		t.Fatalf("Lock(%q): %v", name, err)
	}
	if tok <= 0 {
		t.Fatalf("Lock(%q) = token %d, want > 0", name, tok)
	}
	return tok
}

func lockFails(t *testing.T, h Harness, name string) {
	t.Helper()
	if tok, err := h.Store.Lock(t.Context(), name, leaseTTL); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("Lock(%q) of a held lock = %d, %v; want ErrLocked", name, tok, err)
	}
}

func unlock(t *testing.T, h Harness, name string, tok int64, want error) {
	t.Helper()
	if err := h.Store.Unlock(t.Context(), name, tok); !errors.Is(err, want) {
		t.Fatalf("Unlock(%q, %d) = %v, want %v", name, tok, err, want)
	}
}

func extend(t *testing.T, h Harness, name string, tok int64, want error) {
	t.Helper()
	if err := h.Store.Extend(t.Context(), name, tok, leaseTTL); !errors.Is(err, want) {
		t.Fatalf("Extend(%q, %d) = %v, want %v", name, tok, err, want)
	}
}

func testLockExclusive(t *testing.T, h Harness) {
	tok := lock(t, h, "tick")
	lockFails(t, h, "tick")
	unlock(t, h, "tick", tok, nil)
	unlock(t, h, "tick", tok, store.ErrNotHeld)
	tok2 := lock(t, h, "tick")
	unlock(t, h, "tick", tok2, nil)
}

func testLockExpiry(t *testing.T, h Harness) {
	tok := lock(t, h, "tick")
	h.Advance(leaseTTL - time.Second)
	lockFails(t, h, "tick")
	h.Advance(2 * time.Second)
	// The holder died; after its lease another replica runs the tick.
	tok2 := lock(t, h, "tick")
	if tok2 <= tok {
		t.Fatalf("token after expiry = %d, want > %d", tok2, tok)
	}
}

func testLockFencing(t *testing.T, h Harness) {
	var last int64
	for i := range 5 {
		tok := lock(t, h, "tick")
		if tok <= last {
			t.Fatalf("lock %d: token %d, want > %d", i, tok, last)
		}
		last = tok
		if i%2 == 0 {
			unlock(t, h, "tick", tok, nil)
		} else {
			h.Advance(leaseTTL + time.Second) // expire instead of unlocking
		}
	}
}

func testLockStale(t *testing.T, h Harness) {
	old := lock(t, h, "tick")
	h.Advance(leaseTTL + time.Second)
	// The old holder's lease expired before it finished.
	extend(t, h, "tick", old, store.ErrNotHeld)
	unlock(t, h, "tick", old, store.ErrNotHeld)
	cur := lock(t, h, "tick")
	// A stale holder must not release or extend the new holder's lease.
	unlock(t, h, "tick", old, store.ErrNotHeld)
	extend(t, h, "tick", old, store.ErrNotHeld)
	lockFails(t, h, "tick")
	unlock(t, h, "tick", cur, nil)
}

func testLockExtend(t *testing.T, h Harness) {
	tok := lock(t, h, "tick")
	h.Advance(50 * time.Second)
	extend(t, h, "tick", tok, nil)
	h.Advance(50 * time.Second) // 100 s after Lock, 50 s after Extend
	lockFails(t, h, "tick")
	extend(t, h, "tick", tok, nil)
	unlock(t, h, "tick", tok, nil)
	extend(t, h, "tick", tok, store.ErrNotHeld)
}

func testLockIndependent(t *testing.T, h Harness) {
	a := lock(t, h, "tick:a")
	b := lock(t, h, "tick:b")
	unlock(t, h, "tick:a", a, nil)
	lockFails(t, h, "tick:b")
	unlock(t, h, "tick:a", a, store.ErrNotHeld)
	unlock(t, h, "tick:b", b, nil)
}

func testLockConcurrent(t *testing.T, h Harness) {
	const n = 50
	toks := make([]int64, n)
	errs := make([]error, n)
	parallel(n, func(i int) {
		toks[i], errs[i] = h.Store.Lock(t.Context(), "tick", leaseTTL)
	})
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrLocked):
			t.Fatalf("lock %d: %v", i, err)
		}
	}
	if won != 1 {
		t.Fatalf("%d of %d concurrent locks won, want 1", won, n)
	}
}
