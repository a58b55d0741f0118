package outbound_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"duban/handlers"
	"duban/outbound"
	"duban/store/memstore"
)

// clock is the test's time: Sleep advances it, so waits take no time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return nil
}

// recorder is a Sender whose messages are their text; it records when
// each was posted, and fail decides a post's error (n counts from 1).
type recorder struct {
	clk  *clock
	fail func(n int) error

	mu    sync.Mutex
	n     int
	times []time.Time
	texts []string
}

func (r *recorder) Render(rep handlers.Reply) []outbound.Message {
	var out []outbound.Message
	for _, l := range rep.Lines {
		out = append(out, outbound.Message{Text: l, Body: []byte(l)})
	}
	return out
}

func (r *recorder) Limit(handlers.Reply) int { return 100 }

func (r *recorder) Post(ctx context.Context, m outbound.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	if r.fail != nil {
		if err := r.fail(r.n); err != nil {
			return err
		}
	}
	r.times = append(r.times, r.clk.Now())
	r.texts = append(r.texts, string(m.Body))
	return nil
}

// refusal is a platform's refusal for sending too fast.
type refusal struct{ after time.Duration }

func (refusal) Error() string               { return "send too fast" }
func (refusal) Retryable() bool             { return true }
func (refusal) RateLimited() bool           { return true }
func (e refusal) RetryAfter() time.Duration { return e.after }
func newStore(t *testing.T, clk *clock) *memstore.Store {
	t.Helper()
	st, err := memstore.Open(memstore.Config{Dir: t.TempDir(), Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// maxInWindow is the most times within any window of per.
func maxInWindow(ts []time.Time, per time.Duration) int {
	best, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= per {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}

// TestLimitedKeepsTheWindow: whatever the burst, window and number of
// messages, and however many senders share the bucket (replicas), no
// window holds more than burst posts, every message is posted once in
// order, and the waits add up to the time the posts took.
func TestLimitedKeepsTheWindow(t *testing.T) {
	for _, burst := range []int{1, 3, 20} {
		for _, n := range []int{1, 20, 61} {
			for _, replicas := range []int{1, 3} {
				t.Run(fmt.Sprintf("burst%d/n%d/replicas%d", burst, n, replicas), func(t *testing.T) {
					clk := &clock{t: time.Date(2020, 8, 25, 9, 0, 0, 0, time.UTC)}
					st := newStore(t, clk)
					rec := &recorder{clk: clk}
					var waited time.Duration
					var lims []*outbound.Limited
					for range replicas {
						lims = append(lims, outbound.RateLimit(rec, outbound.LimitConfig{Store: st, Key: "rate|群", Burst: burst,
							Per: time.Minute, Sleep: clk.Sleep, OnWait: func(d time.Duration) { waited += d }}))
					}
					start := clk.Now()
					var r handlers.Reply
					for i := range n {
						r.Lines = append(r.Lines, fmt.Sprint(i))
					}
					for i, m := range lims[0].Render(r) {
						if err := lims[i%replicas].Post(t.Context(), m); err != nil {
							t.Fatalf("post %d: %v", i, err)
						}
					}
					if got := maxInWindow(rec.times, time.Minute); got > burst {
						t.Errorf("%d posts within a minute, burst %d", got, burst)
					}
					if len(rec.texts) != n {
						t.Fatalf("posted %d, want %d", len(rec.texts), n)
					}
					for i, s := range rec.texts {
						if s != fmt.Sprint(i) {
							t.Fatalf("post %d is %q: out of order", i, s)
						}
					}
					if took := clk.Now().Sub(start); took != waited {
						t.Errorf("posts took %s, waits add up to %s", took, waited)
					}
					if n > burst && waited == 0 {
						t.Errorf("%d posts at burst %d without a wait", n, burst)
					}
				})
			}
		}
	}
}

// TestLimitedRefusal: a refusal for sending too fast blocks the bucket
// for the platform's penalty (at least a minute; longer when the
// platform says so), for every sender sharing it, and comes back as a
// *RefusedError that still says what the platform said.
func TestLimitedRefusal(t *testing.T) {
	tests := []struct {
		name     string
		after    time.Duration
		minBlock time.Duration
		want     time.Duration
	}{
		{"WeCom 45009: the rest of the minute", time.Minute, 0, time.Minute},
		{"DingTalk 130101: ten minutes", 10 * time.Minute, 0, 10 * time.Minute},
		{"no RetryAfter: MinBlock", 0, 2 * time.Minute, 2 * time.Minute},
		{"MinBlock is at least a minute", 0, time.Second, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{t: time.Date(2020, 8, 25, 9, 0, 0, 0, time.UTC)}
			st := newStore(t, clk)
			rec := &recorder{clk: clk, fail: func(n int) error {
				if n == 1 {
					return fmt.Errorf("wecom webhook/send: %w", refusal{tt.after})
				}
				return nil
			}}
			cfg := outbound.LimitConfig{Store: st, Key: "rate|群", MinBlock: tt.minBlock, Sleep: clk.Sleep}
			a, b := outbound.RateLimit(rec, cfg), outbound.RateLimit(rec, cfg)
			at := clk.Now()
			err := a.Post(t.Context(), outbound.Message{Body: []byte("1")})
			var rf *outbound.RefusedError
			if !errors.As(err, &rf) || rf.Wait != tt.want || rf.Unrecorded != nil {
				t.Fatalf("Post = %v, want a *RefusedError blocking %s", err, tt.want)
			}
			var ref refusal
			if !errors.As(err, &ref) {
				t.Errorf("the refusal is not in the error chain: %v", err)
			}
			if err := b.Post(t.Context(), outbound.Message{Body: []byte("2")}); err != nil {
				t.Fatal(err)
			}
			if got := rec.times[0].Sub(at); got < tt.want {
				t.Errorf("the other sender posted %s after the refusal, want at least %s", got, tt.want)
			}
		})
	}
}

// TestLimitedStop: a stop while waiting for a slot posts nothing and says
// so (ErrNotSent); a post whose slot is taken is not cut off by the stop.
func TestLimitedStop(t *testing.T) {
	clk := &clock{t: time.Date(2020, 8, 25, 9, 0, 0, 0, time.UTC)}
	st := newStore(t, clk)
	ctx, cancel := context.WithCancel(t.Context())
	var inFlight error
	rec := &recorder{clk: clk}
	post := &hook{Sender: rec, before: func(pctx context.Context) {
		cancel() // the stop comes while the message is in flight
		inFlight = pctx.Err()
	}}
	lim := outbound.RateLimit(post, outbound.LimitConfig{Store: st, Key: "rate|群", Burst: 1, Sleep: clk.Sleep})
	if err := lim.Post(ctx, outbound.Message{Body: []byte("1")}); err != nil {
		t.Fatalf("the post in flight: %v", err)
	}
	if inFlight != nil || len(rec.texts) != 1 {
		t.Fatalf("the stop cut the post in flight off: ctx %v, %d posted", inFlight, len(rec.texts))
	}
	err := lim.Post(ctx, outbound.Message{Body: []byte("2")})
	if !errors.Is(err, outbound.ErrNotSent) || !errors.Is(err, context.Canceled) || len(rec.texts) != 1 {
		t.Errorf("Post after the stop = %v with %d posted; want ErrNotSent and nothing more", err, len(rec.texts))
	}
}

// hook calls before with the post's context, then posts.
type hook struct {
	outbound.Sender
	before func(ctx context.Context)
}

func (h *hook) Post(ctx context.Context, m outbound.Message) error {
	h.before(ctx)
	return h.Sender.Post(ctx, m)
}

// TestSend: Send posts every message in order and stops at the first
// failure, naming it; an empty reply is ErrEmpty.
func TestSend(t *testing.T) {
	clk := &clock{}
	bad := errors.New("refused")
	rec := &recorder{clk: clk, fail: func(n int) error {
		if n == 3 {
			return bad
		}
		return nil
	}}
	err := outbound.Send(t.Context(), rec, handlers.Reply{Lines: []string{"a", "b", "c", "d"}})
	if !errors.Is(err, bad) || err.Error() != "message 3 of 4: refused" || len(rec.texts) != 2 {
		t.Errorf("Send = %v after %d posts, want message 3 of 4 refused after 2", err, len(rec.texts))
	}
	if err := outbound.Send(t.Context(), rec, handlers.Reply{}); !errors.Is(err, outbound.ErrEmpty) {
		t.Errorf("Send(empty) = %v, want ErrEmpty", err)
	}
}
