package storetest

import (
	"testing"
	"time"
)

var limiterTests = []contractTest{
	{"burst then wait", testLimiterBurst},
	{"refill after per", testLimiterRefill},
	{"partial refill", testLimiterPartial},
	{"never more than burst in a window", testLimiterWindow},
	{"block", testLimiterBlock},
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
			t.Fatalf("reserve %d of a fresh window: wait %v, want 0", i+1, w)
		}
	}
	// The 21st send of the minute waits for the minute to pass: the
	// platform counts the last 60 seconds, not a refilling bucket. A
	// refused reserve takes nothing, so asking again gives the same wait.
	for i := range 2 {
		if w := reserve(t, h, "hook", burst, per); w != per {
			t.Fatalf("reserve %d past the burst: wait %v, want %v", i+1, w, per)
		}
	}
	h.Advance(per / 2)
	if w := reserve(t, h, "hook", burst, per); w != per/2 {
		t.Fatalf("reserve half a window later: wait %v, want %v", w, per/2)
	}
	h.Advance(per / 2)
	if w := reserve(t, h, "hook", burst, per); w != 0 {
		t.Fatalf("reserve a window later: wait %v, want 0", w)
	}
}

// testLimiterWindow sends whenever allowed, as a caller that waits and
// asks again does, and checks that no window of per holds more than burst
// sends: the platforms' rule.
func testLimiterWindow(t *testing.T, h Harness) {
	const burst, per = 5, 10 * time.Second
	var sends []time.Duration
	var now time.Duration
	for len(sends) < 40 {
		w := reserve(t, h, "hook", burst, per)
		if w == 0 {
			sends = append(sends, now)
			w = time.Second
			if len(sends)%7 == 0 {
				w = 0 // bursts of callers now and then
			}
		}
		h.Advance(w)
		now += w
	}
	for i := burst; i < len(sends); i++ {
		if d := sends[i] - sends[i-burst]; d < per {
			t.Fatalf("sends %d and %d are %v apart: %d sends within %v", i-burst, i, d, burst+1, per)
		}
	}
}

func testLimiterRefill(t *testing.T, h Harness) {
	for range burst {
		reserve(t, h, "hook", burst, per)
	}
	h.Advance(per)
	for i := range burst {
		if w := reserve(t, h, "hook", burst, per); w != 0 {
			t.Fatalf("reserve %d a window later: wait %v, want 0", i+1, w)
		}
	}
}

func testLimiterPartial(t *testing.T, h Harness) {
	const burst, per = 2, 10 * time.Second
	reserve(t, h, "hook", burst, per)
	h.Advance(per / 2)
	reserve(t, h, "hook", burst, per)
	h.Advance(per / 2) // the first send left the window
	if w := reserve(t, h, "hook", burst, per); w != 0 {
		t.Fatalf("reserve after the first send left the window: wait %v, want 0", w)
	}
	if w := reserve(t, h, "hook", burst, per); w != per/2 {
		t.Fatalf("reserve of a full window: wait %v, want %v", w, per/2)
	}
}

// testLimiterBlock is a platform's penalty (DingTalk blocks a robot for
// 10 minutes): no slot before it ends, then a fresh window.
func testLimiterBlock(t *testing.T, h Harness) {
	const block = 10 * time.Minute
	reserve(t, h, "hook", burst, per)
	if err := h.Store.Block(t.Context(), "hook", burst, per, block); err != nil {
		t.Fatalf("Block: %v", err)
	}
	if w := reserve(t, h, "hook", burst, per); w != block {
		t.Fatalf("reserve in the block: wait %v, want %v", w, block)
	}
	h.Advance(block)
	for i := range burst {
		if w := reserve(t, h, "hook", burst, per); w != 0 {
			t.Fatalf("reserve %d after the block: wait %v, want 0", i+1, w)
		}
	}
	if w := reserve(t, h, "hook", burst, per); w == 0 {
		t.Fatal("reserve past the burst after the block: wait 0, want the window's rest")
	}
	if w := reserve(t, h, "hook", burst, per); w == 0 {
		t.Fatal("reserve past the burst after the block, again: wait 0")
	}
	if w := reserve(t, h, "other", burst, per); w != 0 {
		t.Fatalf("another key during the block: wait %v, want 0", w)
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
