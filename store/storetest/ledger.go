package storetest

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"duban/store"
)

var ledgerTests = []contractTest{
	{"newer holder of the lock takes over", testLedgerTakeover},
	{"renew keeps a claim", testLedgerRenew},
	{"confirm over another's claim is reported", testLedgerFencedConfirm},
	{"release leaves another's claim", testLedgerReleaseOther},
	{"claim confirm is permanent", testLedgerConfirm},
	{"confirm with retention", testLedgerRetain},
	{"claim release claim", testLedgerRelease},
	{"claim expires when a replica dies", testLedgerClaimExpiry},
	{"release does not undo confirm", testLedgerReleaseAfterConfirm},
	{"release and confirm of unknown keys", testLedgerUnknown},
	{"concurrent claims", testLedgerConcurrent},
}

const claimTTL = 5 * time.Minute

// Owners of the tests' claims: a and b hold the same tick lock one after
// the other, c runs under another lock (another cron spec).
var (
	ownerA = store.Owner{Lock: "duban:tick", Token: 7}
	ownerB = store.Owner{Lock: "duban:tick", Token: 8}
	ownerC = store.Owner{Lock: "duban:tick:0 17 * * 5", Token: 3}
)

func claim(t *testing.T, h Harness, key string, want bool) {
	t.Helper()
	claimAs(t, h, key, ownerA, want)
}

func claimAs(t *testing.T, h Harness, key string, o store.Owner, want bool) {
	t.Helper()
	got, err := h.Store.Claim(t.Context(), key, o, claimTTL)
	if err != nil {
		t.Fatalf("Claim(%q): %v", key, err)
	}
	if got != want {
		t.Fatalf("Claim(%q) = %v, want %v", key, got, want)
	}
}

func confirm(t *testing.T, h Harness, key string, retain time.Duration) {
	t.Helper()
	if err := h.Store.Confirm(t.Context(), key, ownerA, retain); err != nil {
		t.Fatalf("Confirm(%q, %v): %v", key, retain, err)
	}
}

func release(t *testing.T, h Harness, key string) {
	t.Helper()
	if err := h.Store.Release(t.Context(), key, ownerA); err != nil {
		t.Fatalf("Release(%q): %v", key, err)
	}
}

func sent(t *testing.T, h Harness, key string, want bool) {
	t.Helper()
	got, err := h.Store.Sent(t.Context(), key)
	if err != nil {
		t.Fatalf("Sent(%q): %v", key, err)
	}
	if got != want {
		t.Fatalf("Sent(%q) = %v, want %v", key, got, want)
	}
}

func testLedgerConfirm(t *testing.T, h Harness) {
	const key = "key_tasks/76|住建局工作群|7d"
	sent(t, h, key, false)
	claim(t, h, key, true)
	sent(t, h, key, false)
	claim(t, h, key, true) // the holder again: a renewal
	claimAs(t, h, key, ownerC, false)
	confirm(t, h, key, 0)
	sent(t, h, key, true)
	claim(t, h, key, false)
	// Far past the claim TTL, a confirmed key stays.
	h.Advance(400 * 24 * time.Hour)
	sent(t, h, key, true)
	claim(t, h, key, false)
}

func testLedgerRetain(t *testing.T, h Harness) {
	const key = "retained"
	claim(t, h, key, true)
	confirm(t, h, key, time.Hour)
	h.Advance(59 * time.Minute)
	sent(t, h, key, true)
	claim(t, h, key, false)
	h.Advance(2 * time.Minute)
	sent(t, h, key, false)
	claim(t, h, key, true)
}

func testLedgerRelease(t *testing.T, h Harness) {
	const key = "push-failed"
	claim(t, h, key, true)
	release(t, h, key)
	sent(t, h, key, false)
	claim(t, h, key, true)
	confirm(t, h, key, 0)
	sent(t, h, key, true)
}

// testLedgerClaimExpiry is the crash between claim and confirm: the
// claiming replica never confirms or releases, and after the claim TTL
// another replica takes the reminder over.
func testLedgerClaimExpiry(t *testing.T, h Harness) {
	const key = "replica-died"
	claim(t, h, key, true)
	h.Advance(claimTTL - time.Second)
	claimAs(t, h, key, ownerC, false)
	h.Advance(2 * time.Second)
	sent(t, h, key, false)
	claim(t, h, key, true)
	confirm(t, h, key, 0)
	h.Advance(2 * claimTTL)
	sent(t, h, key, true)
}

func testLedgerReleaseAfterConfirm(t *testing.T, h Harness) {
	const key = "sent-then-released"
	claim(t, h, key, true)
	confirm(t, h, key, 0)
	release(t, h, key)
	sent(t, h, key, true)
	claim(t, h, key, false)
}

func testLedgerUnknown(t *testing.T, h Harness) {
	release(t, h, "never-claimed")
	sent(t, h, "never-claimed", false)
	// A confirm whose claim has expired still records the send: the push
	// went out, and sending it again would be the worse error.
	claim(t, h, "late", true)
	h.Advance(claimTTL + time.Second)
	confirm(t, h, "late", 0)
	sent(t, h, "late", true)
	claim(t, h, "late", false)
}

func testLedgerConcurrent(t *testing.T, h Harness) {
	const n = 50
	for _, key := range []string{"tick-1", "tick-2", "tick-3"} {
		wins := make([]bool, n)
		errs := make([]error, n)
		parallel(n, func(i int) {
			wins[i], errs[i] = h.Store.Claim(t.Context(), key, store.Owner{Lock: "tick:" + strconv.Itoa(i), Token: 1}, claimTTL)
		})
		if got := countWins(t, wins, errs); got != 1 {
			t.Fatalf("%s: %d of %d concurrent claims won, want 1", key, got, n)
		}
	}
}

// testLedgerTakeover is the restart after kill -9: the new run holds the
// tick lock with a newer token, so the dead run's claims are its own at
// once, while a run under another lock still waits for them to expire
// and the dead run can no longer renew, release or take them back.
func testLedgerTakeover(t *testing.T, h Harness) {
	const key = "killed-mid-tick"
	claimAs(t, h, key, ownerA, true)
	claimAs(t, h, key, ownerC, false)
	claimAs(t, h, key, ownerB, true)
	claimAs(t, h, key, ownerA, false)
	if err := h.Store.Renew(t.Context(), key, ownerA, claimTTL); !errors.Is(err, store.ErrNotHeld) {
		t.Fatalf("Renew by the stale holder = %v, want ErrNotHeld", err)
	}
	if err := h.Store.Release(t.Context(), key, ownerA); err != nil {
		t.Fatalf("Release by the stale holder: %v", err)
	}
	claimAs(t, h, key, ownerC, false) // b's claim survived a's release
	if err := h.Store.Confirm(t.Context(), key, ownerB, 0); err != nil {
		t.Fatalf("Confirm by the new holder: %v", err)
	}
	sent(t, h, key, true)
	claimAs(t, h, key, store.Owner{Lock: ownerB.Lock, Token: ownerB.Token + 1}, false)
}

func testLedgerRenew(t *testing.T, h Harness) {
	const key = "long-digest"
	ctx := t.Context()
	claimAs(t, h, key, ownerA, true)
	for range 3 {
		h.Advance(claimTTL - time.Minute)
		if err := h.Store.Renew(ctx, key, ownerA, claimTTL); err != nil {
			t.Fatalf("Renew: %v", err)
		}
		claimAs(t, h, key, ownerC, false)
	}
	// Lapsed and free: renewing takes it again.
	h.Advance(claimTTL + time.Second)
	if err := h.Store.Renew(ctx, key, ownerA, claimTTL); err != nil {
		t.Fatalf("Renew of a lapsed claim no one took: %v", err)
	}
	claimAs(t, h, key, ownerC, false)
	// Lapsed and taken: the holder must not send.
	h.Advance(claimTTL + time.Second)
	claimAs(t, h, key, ownerC, true)
	if err := h.Store.Renew(ctx, key, ownerA, claimTTL); !errors.Is(err, store.ErrNotHeld) {
		t.Fatalf("Renew of a claim another took = %v, want ErrNotHeld", err)
	}
	if err := h.Store.Confirm(ctx, key, ownerC, 0); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.Renew(ctx, key, ownerC, claimTTL); !errors.Is(err, store.ErrNotHeld) {
		t.Fatalf("Renew of a sent key = %v, want ErrNotHeld", err)
	}
}

func testLedgerFencedConfirm(t *testing.T, h Harness) {
	const key = "stale-confirm"
	claimAs(t, h, key, ownerA, true)
	h.Advance(claimTTL + time.Second)
	claimAs(t, h, key, ownerC, true)
	// a's message went out before it noticed: the send is recorded, and
	// the confirm says another held the claim.
	if err := h.Store.Confirm(t.Context(), key, ownerA, 0); !errors.Is(err, store.ErrNotHeld) {
		t.Fatalf("Confirm over another's claim = %v, want ErrNotHeld", err)
	}
	sent(t, h, key, true)
	// A second confirm of a sent key is no error.
	if err := h.Store.Confirm(t.Context(), key, ownerC, 0); err != nil {
		t.Fatalf("Confirm of a sent key: %v", err)
	}
	sent(t, h, key, true)
}

func testLedgerReleaseOther(t *testing.T, h Harness) {
	const key = "not-mine"
	claimAs(t, h, key, ownerC, true)
	if err := h.Store.Release(t.Context(), key, ownerA); err != nil {
		t.Fatal(err)
	}
	claimAs(t, h, key, ownerA, false)
	if err := h.Store.Release(t.Context(), key, ownerC); err != nil {
		t.Fatal(err)
	}
	claimAs(t, h, key, ownerA, true)
}
