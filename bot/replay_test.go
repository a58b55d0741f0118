package bot

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestReplayGuard(t *testing.T) {
	now := time.Date(2020, 9, 3, 10, 0, 0, 0, time.UTC)
	d := newMemDeduper(func() time.Time { return now })
	g := &ReplayGuard{Store: d}
	ctx := t.Context()
	steps := []struct {
		name      string
		sig, body string
		after     time.Duration
		want      error // nil, ErrReplay or ErrBadSignature
	}{
		{"first", "ts1|sig1", "body", 0, nil},
		{"same again", "ts1|sig1", "body", time.Minute, ErrReplay},
		{"same signature, other body", "ts1|sig1", "other", 2 * time.Minute, ErrBadSignature},
		{"other signature, same body", "ts2|sig2", "body", 3 * time.Minute, nil},
		{"same again after the ttl", "ts1|sig1", "body", 2 * time.Hour, nil},
	}
	start := now
	for _, s := range steps {
		now = start.Add(s.after)
		err := g.Check(ctx, DingTalk, s.sig, []byte(s.body), time.Hour)
		if s.want == nil && err != nil || s.want != nil && !errors.Is(err, s.want) {
			t.Errorf("%s: Check = %v, want %v", s.name, err, s.want)
		}
	}
	if err := (*ReplayGuard)(nil).Check(ctx, DingTalk, "x", nil, time.Hour); err != nil {
		t.Errorf("nil guard: %v", err)
	}
	d.err = errors.New("down")
	if err := g.Check(ctx, DingTalk, "ts3|sig3", nil, time.Hour); err == nil || errors.Is(err, ErrReplay) || errors.Is(err, ErrBadSignature) {
		t.Errorf("store down: Check = %v, want the store's error", err)
	}
}

// TestReplayGuardRace sends one request twice and two bodies under one
// signature at once: one of each pair is accepted.
func TestReplayGuardRace(t *testing.T) {
	g := &ReplayGuard{Store: newMemDeduper(time.Now)}
	for _, bodies := range [][2]string{{"same", "same"}, {"one", "two"}} {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range 2 {
			wg.Go(func() { errs[i] = g.Check(t.Context(), WeComApp, "sig-"+bodies[1], []byte(bodies[i]), time.Hour) })
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Errorf("bodies %q: errors %v, want exactly one accepted", bodies, errs)
		}
	}
}

// CheckSealed (WeCom: the signature covers the body) keeps one short key
// per request and turns a second use of the signature into a replay.
func TestReplayGuardSealed(t *testing.T) {
	now := time.Date(2020, 9, 3, 10, 0, 0, 0, time.UTC)
	d := newMemDeduper(func() time.Time { return now })
	g := &ReplayGuard{Store: d}
	sig := "1599100000|nonce-of-sixteen|0123456789abcdef0123456789abcdef01234567"
	steps := []struct {
		name  string
		after time.Duration
		want  error
	}{
		{"first", 0, nil},
		{"again", time.Minute, ErrReplay},
		{"after the ttl", 2 * time.Hour, nil},
	}
	start := now
	for _, s := range steps {
		now = start.Add(s.after)
		err := g.CheckSealed(t.Context(), WeComApp, sig, time.Hour)
		if s.want == nil && err != nil || s.want != nil && !errors.Is(err, s.want) {
			t.Errorf("%s: CheckSealed = %v, want %v", s.name, err, s.want)
		}
	}
	if len(d.seen) != 1 {
		t.Errorf("%d keys stored, want 1", len(d.seen))
	}
	for k := range d.seen {
		if len(k) >= len(sig) || strings.Contains(k, "nonce") {
			t.Errorf("key %q holds the signature, want a digest", k)
		}
	}
	d.err = errors.New("down")
	if err := g.CheckSealed(t.Context(), WeComApp, "other", time.Hour); err == nil || errors.Is(err, ErrReplay) {
		t.Errorf("store down: CheckSealed = %v, want the store's error", err)
	}
}
