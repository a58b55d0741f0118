package storetest

import (
	"testing"
	"time"
)

var limiterTests = []contractTest{
	{"burst then wait", testLimiterBurst},
	{"refill after per", testLimiterRefill},
	{"partial refill", testLimiterPartial},
	{"keys are independent", testLimiterIndependent},
	{"concurrent", testLimiterConcurrent},
	{"invalid arguments", testLimiterInvalid},
}

func reserve(t *testing.T, h Harness, key string, burst int, per time.Duration) time.Duration {
	t.Helper()
	wait, err := h.Store.Reserve(t.Context(), key, burst, per)
	if err != nil {
		t.Fatalf("Reserve(%q, %d, %v): %v", key, burst, per, err)
	}
	return wait
}

// WeCom group robots allow 20 messages a minute per webhook.
const (
	burst = 20
	per   = time.Minute
)

func testLimiterBurst(t *testing.T, h Harness) {
	for i := range burst {
		if w := reserve(t, h, "hook", burst, per); w != 0 {
			t.Fatalf("reserve %d of a full bucket: wait %v, want 0", i+1, w)
		}
	}
	w1 := reserve(t, h, "hook", burst, per)
	if interval := per / burst; w1 <= 0 || w1 > interval {
		t.Fatalf("first reserve past the burst: wait %v, want in (0, %v]", w1, interval)
	}
	// The token was taken although the caller must wait, so the next
	// caller waits longer.
	w2 := reserve(t, h, "hook", burst, per)
	if w2 <= w1 {
		t.Fatalf("second reserve past the burst: wait %v, want more than %v", w2, w1)
	}
}

func testLimiterRefill(t *testing.T, h Harness) {
	for range burst {
		reserve(t, h, "hook", burst, per)
	}
	if w := reserve(t, h, "hook", burst, per); w == 0 {
		t.Fatal("reserve past the burst: wait 0, want > 0")
	}
	// One more token was taken than the burst, so a full refill takes a
	// little more than per.
	h.Advance(per + per/burst)
	for i := range burst {
		if w := reserve(t, h, "hook", burst, per); w != 0 {
			t.Fatalf("reserve %d after refill: wait %v, want 0", i+1, w)
		}
	}
}

func testLimiterPartial(t *testing.T, h Harness) {
	const burst, per = 2, 10 * time.Second
	reserve(t, h, "hook", burst, per)
	reserve(t, h, "hook", burst, per)
	h.Advance(per / 2) // one token back
	if w := reserve(t, h, "hook", burst, per); w != 0 {
		t.Fatalf("reserve after half a refill: wait %v, want 0", w)
	}
	if w := reserve(t, h, "hook", burst, per); w <= 0 || w > per/2 {
		t.Fatalf("reserve of an empty bucket: wait %v, want in (0, %v]", w, per/2)
	}
}

func testLimiterIndependent(t *testing.T, h Harness) {
	reserve(t, h, "a", 1, per)
	if w := reserve(t, h, "b", 1, per); w != 0 {
		t.Fatalf("bucket b after a emptied: wait %v, want 0", w)
	}
}

func testLimiterConcurrent(t *testing.T, h Harness) {
	const n = 50
	waits := make([]time.Duration, n)
	errs := make([]error, n)
	parallel(n, func(i int) {
		waits[i], errs[i] = h.Store.Reserve(t.Context(), "shared", burst, per)
	})
	now := 0
	for i, w := range waits {
		if errs[i] != nil {
			t.Fatalf("reserve %d: %v", i, errs[i])
		}
		if w == 0 {
			now++
		}
	}
	if now != burst {
		t.Fatalf("%d of %d concurrent reserves may send now, want %d", now, n, burst)
	}
}

func testLimiterInvalid(t *testing.T, h Harness) {
	tests := []struct {
		name  string
		burst int
		per   time.Duration
	}{
		{"zero burst", 0, time.Second},
		{"negative burst", -1, time.Second},
		{"zero per", 1, 0},
	}
	for _, tt := range tests {
		if _, err := h.Store.Reserve(t.Context(), "x", tt.burst, tt.per); err == nil {
			t.Errorf("%s: Reserve(%d, %v) = nil error, want an error", tt.name, tt.burst, tt.per)
		}
	}
}
