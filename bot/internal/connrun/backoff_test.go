package connrun

import (
	"math/rand/v2"
	"testing"
	"time"
)

// The tables the DingTalk Stream client and the WeCom long connection
// each had for their own copy of this function.
func TestBackoffWait(t *testing.T) {
	b := Backoff{Min: time.Second, Max: time.Minute}
	tests := []struct {
		failures int
		want     time.Duration // before jitter, which takes off up to a quarter
	}{
		{0, time.Second}, {1, 2 * time.Second}, {2, 4 * time.Second}, {3, 8 * time.Second},
		{6, time.Minute}, {10, time.Minute}, {40, time.Minute},
	}
	for _, tt := range tests {
		for range 20 {
			if got := b.Wait(tt.failures); got > tt.want || got < tt.want*3/4 {
				t.Errorf("Wait(%d) = %v, want in [%v, %v]", tt.failures, got, tt.want*3/4, tt.want)
			}
		}
	}
}

// For generated bounds and failure counts, a wait lies within a quarter
// below min(Min·2ⁿ, Max), and one more failure never lowers that ceiling.
func TestBackoffWaitGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		lo := time.Duration(1 + rng.Int64N(int64(10*time.Second)))
		b := Backoff{Min: lo, Max: lo + time.Duration(rng.Int64N(int64(time.Hour)))}
		n := rng.IntN(70)
		ceil := b.Min
		for i := 0; i < n && ceil < b.Max; i++ {
			ceil *= 2
		}
		ceil = min(ceil, b.Max)
		got := b.Wait(n)
		if got > ceil || got < ceil-ceil/4 || got > b.Max || got <= 0 {
			t.Fatalf("%+v.Wait(%d) = %v, want in [%v, %v]", b, n, got, ceil-ceil/4, ceil)
		}
		if next := b.Wait(n + 1); next > b.Max {
			t.Fatalf("%+v.Wait(%d) = %v above Max", b, n+1, next)
		}
	}
}

func TestBackoffWithDefaults(t *testing.T) {
	tests := []struct {
		in, want Backoff
	}{
		{Backoff{}, Backoff{time.Second, time.Minute}},
		{Backoff{Min: time.Millisecond}, Backoff{time.Millisecond, time.Minute}},
		{Backoff{Min: time.Millisecond, Max: 20 * time.Millisecond}, Backoff{time.Millisecond, 20 * time.Millisecond}},
		{Backoff{Min: 2 * time.Minute}, Backoff{2 * time.Minute, 2 * time.Minute}},
		{Backoff{Max: 5 * time.Second}, Backoff{time.Second, 5 * time.Second}},
	}
	for _, tt := range tests {
		if got := tt.in.WithDefaults(); got != tt.want {
			t.Errorf("%+v.WithDefaults() = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}
