package storetest

import (
	"testing"
	"time"
)

var ledgerTests = []contractTest{
	{"claim confirm is permanent", testLedgerConfirm},
	{"confirm with retention", testLedgerRetain},
	{"claim release claim", testLedgerRelease},
	{"claim expires when a replica dies", testLedgerClaimExpiry},
	{"release does not undo confirm", testLedgerReleaseAfterConfirm},
	{"release and confirm of unknown keys", testLedgerUnknown},
	{"concurrent claims", testLedgerConcurrent},
}

const claimTTL = 5 * time.Minute

func claim(t *testing.T, h Harness, key string, want bool) {
	t.Helper()
	got, err := h.Store.Claim(t.Context(), key, claimTTL)
	if err != nil {
		t.Fatalf("Claim(%q): %v", key, err)
	}
	if got != want {
		t.Fatalf("Claim(%q) = %v, want %v", key, got, want)
	}
}

func confirm(t *testing.T, h Harness, key string, retain time.Duration) {
	t.Helper()
	if err := h.Store.Confirm(t.Context(), key, retain); err != nil {
		t.Fatalf("Confirm(%q, %v): %v", key, retain, err)
	}
}

func release(t *testing.T, h Harness, key string) {
	t.Helper()
	if err := h.Store.Release(t.Context(), key); err != nil {
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
	claim(t, h, key, false)
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
	claim(t, h, key, false)
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
			wins[i], errs[i] = h.Store.Claim(t.Context(), key, claimTTL)
		})
		if got := countWins(t, wins, errs); got != 1 {
			t.Fatalf("%s: %d of %d concurrent claims won, want 1", key, got, n)
		}
	}
}
