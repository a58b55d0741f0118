package storetest

import (
	"testing"
	"time"
)

var dedupTests = []contractTest{
	{"first and second", testDedupFirstSecond},
	{"expiry", testDedupExpiry},
	{"keys are independent", testDedupIndependent},
	{"concurrent", testDedupConcurrent},
}

func firstSeen(t *testing.T, h Harness, key string, ttl time.Duration, want bool) {
	t.Helper()
	got, err := h.Store.FirstSeen(t.Context(), key, ttl)
	if err != nil {
		t.Fatalf("FirstSeen(%q): %v", key, err)
	}
	if got != want {
		t.Fatalf("FirstSeen(%q) = %v, want %v", key, got, want)
	}
}

func testDedupFirstSecond(t *testing.T, h Harness) {
	firstSeen(t, h, "wecom:msg-1", time.Minute, true)
	firstSeen(t, h, "wecom:msg-1", time.Minute, false)
	firstSeen(t, h, "wecom:msg-1", time.Minute, false)
}

func testDedupExpiry(t *testing.T, h Harness) {
	const key = "dingtalk:消息:42"
	firstSeen(t, h, key, time.Minute, true)
	h.Advance(50 * time.Second)
	firstSeen(t, h, key, time.Minute, false)
	// The second call did not renew the key: it still expires a minute
	// after the first.
	h.Advance(15 * time.Second)
	firstSeen(t, h, key, time.Minute, true)
	firstSeen(t, h, key, time.Minute, false)
}

func testDedupIndependent(t *testing.T, h Harness) {
	for _, key := range []string{"a", "b", "a:b", "{a}"} {
		firstSeen(t, h, key, time.Minute, true)
	}
}

func testDedupConcurrent(t *testing.T, h Harness) {
	const n = 50
	wins := make([]bool, n)
	errs := make([]error, n)
	parallel(n, func(i int) {
		wins[i], errs[i] = h.Store.FirstSeen(t.Context(), "retried", time.Minute)
	})
	if got := countWins(t, wins, errs); got != 1 {
		t.Fatalf("%d of %d concurrent FirstSeen calls won, want 1", got, n)
	}
}

// countWins fails on any error and returns how many calls reported true.
func countWins(t *testing.T, wins []bool, errs []error) int {
	t.Helper()
	n := 0
	for i, ok := range wins {
		if errs[i] != nil {
			t.Fatalf("call %d: %v", i, errs[i])
		}
		if ok {
			n++
		}
	}
	return n
}
