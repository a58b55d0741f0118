package redisstore

import (
	"errors"
	"testing"
	"time"

	"duban/store"
	"duban/store/storetest"
)

// testOwner holds these tests' claims; the contract suite covers owners.
var testOwner = store.Owner{Lock: "tick", Token: 1}

var epoch = time.Date(2020, 8, 3, 9, 0, 0, 0, time.UTC)

// TestContract runs the contract suite with time moved by warp (server-side
// TTLs) and a fake clock (rate-limit buckets) together.
func TestContract(t *testing.T) {
	server(t)
	storetest.Run(t, func(t *testing.T) storetest.Harness {
		clock := storetest.NewFakeClock(epoch)
		s := newStore(t, clock.Now)
		return storetest.Harness{Store: s, Advance: func(d time.Duration) {
			clock.Advance(d)
			if err := warp(t.Context(), s, d); err != nil {
				t.Fatalf("warp %v: %v", d, err)
			}
		}}
	})
}

// TestRealExpiry checks, once, that expiry works on the server's own
// clock without warp: a 50 ms key is gone within a bounded poll.
func TestRealExpiry(t *testing.T) {
	s := newStore(t, nil)
	ctx := t.Context()
	if ok, err := s.FirstSeen(ctx, "k", 50*time.Millisecond); !ok || err != nil {
		t.Fatalf("FirstSeen = %v, %v", ok, err)
	}
	if ok, err := s.Claim(ctx, "c", testOwner, 50*time.Millisecond); !ok || err != nil {
		t.Fatalf("Claim = %v, %v", ok, err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		dedup, err1 := s.FirstSeen(ctx, "k", time.Minute)
		claim, err2 := s.Claim(ctx, "c", testOwner, time.Minute)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		if dedup && claim {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 2 s: dedup key new = %v, claim free = %v; want both", dedup, claim)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestServerClock checks the limiter on the server's TIME (Config.Now nil),
// the production setting.
func TestServerClock(t *testing.T) {
	s := newStore(t, nil)
	for i := range 3 {
		if w, err := s.Reserve(t.Context(), "hook", 3, time.Hour); err != nil || w != 0 {
			t.Fatalf("reserve %d = %v, %v; want 0", i, w, err)
		}
	}
	w, err := s.Reserve(t.Context(), "hook", 3, time.Hour)
	if err != nil || w < 59*time.Minute || w > time.Hour {
		t.Fatalf("reserve past the burst = %v, %v; want about an hour", w, err)
	}
	if w2, err := s.Reserve(t.Context(), "hook", 3, time.Hour); err != nil || w2 > w {
		t.Fatalf("reserve again = %v, %v; want at most %v (a refused reserve takes nothing)", w2, err, w)
	}
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, newStore(b, nil))
}
