package storetest

import (
	"testing"
	"time"

	"duban/store"
)

var invalidTests = []contractTest{
	{"non-positive ttl", testInvalidTTL},
}

// testInvalidTTL checks that a ttl that is zero or negative is an error
// everywhere a ttl bounds a key's life, rather than a key that never
// expires or expires at once.
func testInvalidTTL(t *testing.T, h Harness) {
	ctx := t.Context()
	s := h.Store
	for _, ttl := range []time.Duration{0, -time.Second} {
		calls := []struct {
			name string
			err  error
		}{
			{"FirstSeen", second(s.FirstSeen(ctx, "k", ttl))},
			{"Claim", second(s.Claim(ctx, "k", store.Owner{Lock: "l", Token: 1}, ttl))},
			{"Lock", second(s.Lock(ctx, "k", ttl))},
			{"Put", s.Put(ctx, "k", []byte("v"), ttl)},
		}
		for _, c := range calls {
			if c.err == nil {
				t.Errorf("%s with ttl %v: nil error, want an error", c.name, ttl)
			}
		}
	}
	if err := s.Confirm(ctx, "k", store.Owner{Lock: "l", Token: 1}, -time.Second); err == nil {
		t.Error("Confirm with negative retention: nil error, want an error")
	}
}

func second[T any](_ T, err error) error { return err }
