package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"duban/handlers"
	"duban/store"
)

var (
	_ store.Deduper       = (*memDeduper)(nil)
	_ store.Conversations = (*memConversations)(nil)
)

func answerWith(intent string) HandlerFunc {
	return func(context.Context, *Message) (handlers.Reply, error) {
		return handlers.Reply{Intent: intent, Head: "76号任务由周国强牵头"}, nil
	}
}

func TestChainOrder(t *testing.T) {
	var got []string
	mark := func(name string) Middleware {
		return func(next HandlerFunc) HandlerFunc {
			return func(ctx context.Context, m *Message) (handlers.Reply, error) {
				got = append(got, name)
				return next(ctx, m)
			}
		}
	}
	h := Chain(func(context.Context, *Message) (handlers.Reply, error) {
		got = append(got, "h")
		return handlers.Reply{}, nil
	}, mark("a"), mark("b"))
	h(t.Context(), &Message{})
	if strings.Join(got, ",") != "a,b,h" {
		t.Errorf("Chain(h, a, b) ran %v, want a,b,h", got)
	}
}

func TestRecover(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, nil))
	h := Recover(l)(func(context.Context, *Message) (handlers.Reply, error) { panic("boom") })
	_, err := h(t.Context(), &Message{Platform: DingTalk, ID: "m1"})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("Recover: err = %v, want the panic as an error", err)
	}
	for _, want := range []string{"handler panic", "msg_id=m1", "stack="} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("Recover log %q lacks %q", buf.String(), want)
		}
	}
}

func TestLogNeverLogsText(t *testing.T) {
	tests := []struct {
		name      string
		h         HandlerFunc
		wantLevel string
		wantMsg   string
	}{
		{"answered", answerWith("task"), "INFO", "intent=task"},
		{"duplicate", func(context.Context, *Message) (handlers.Reply, error) {
			return handlers.Reply{}, ErrDuplicate
		}, "DEBUG", "duplicate message dropped"},
		{"busy", func(context.Context, *Message) (handlers.Reply, error) {
			return handlers.Reply{}, ErrBusy
		}, "WARN", "message refused"},
		{"failed", func(context.Context, *Message) (handlers.Reply, error) {
			return handlers.Reply{}, errors.New("disk on fire")
		}, "ERROR", "disk on fire"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			l := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			m := &Message{Platform: WeComAIBot, ID: "m1", ChatID: "c1", Text: "76号任务谁牵头"}
			Log(l)(tt.h)(t.Context(), m)
			out := buf.String()
			for _, want := range []string{"level=" + tt.wantLevel, tt.wantMsg, "platform=wecom_aibot", "chat=c1", "msg_id=m1"} {
				if !strings.Contains(out, want) {
					t.Errorf("log %q lacks %q", out, want)
				}
			}
			if strings.Contains(out, "76号任务") || strings.Contains(out, "周国强") {
				t.Errorf("log %q contains the question or answer", out)
			}
		})
	}
}

func TestDedup(t *testing.T) {
	now := time.Date(2020, 8, 25, 9, 0, 0, 0, time.UTC)
	d := newMemDeduper(func() time.Time { return now })
	var calls int
	h := Dedup(d, time.Minute)(func(context.Context, *Message) (handlers.Reply, error) {
		calls++
		return handlers.Reply{Intent: "task"}, nil
	})
	steps := []struct {
		name    string
		advance time.Duration
		m       Message
		wantErr error
	}{
		{"first", 0, Message{Platform: DingTalk, ID: "a"}, nil},
		{"retry within ttl", 30 * time.Second, Message{Platform: DingTalk, ID: "a"}, ErrDuplicate},
		{"same id other platform", 0, Message{Platform: WeComApp, ID: "a"}, nil},
		{"other id", 0, Message{Platform: DingTalk, ID: "b"}, nil},
		{"after ttl", 31 * time.Second, Message{Platform: DingTalk, ID: "a"}, nil},
		{"no id passes", 0, Message{Platform: DingTalk}, nil},
		{"no id passes again", 0, Message{Platform: DingTalk}, nil},
	}
	wantCalls := 0
	for _, s := range steps {
		now = now.Add(s.advance)
		_, err := h(t.Context(), &s.m)
		if !errors.Is(err, s.wantErr) || (s.wantErr == nil && err != nil) {
			t.Errorf("%s: err = %v, want %v", s.name, err, s.wantErr)
		}
		if s.wantErr == nil {
			wantCalls++
		}
	}
	if calls != wantCalls {
		t.Errorf("handler ran %d times, want %d", calls, wantCalls)
	}
}

func TestDedupStoreDownAnswersAnyway(t *testing.T) {
	d := newMemDeduper(time.Now)
	d.err = errors.New("redis: connection refused")
	var buf bytes.Buffer
	h := Chain(answerWith("task"), Log(slog.New(slog.NewTextHandler(&buf, nil))), Dedup(d, 0))
	r, err := h(t.Context(), &Message{Platform: DingTalk, ID: "x"})
	if err != nil || r.Intent != "task" {
		t.Fatalf("Dedup with failing store = %v, %v; want the answer", r, err)
	}
	if !strings.Contains(buf.String(), "dedup store failed") || !strings.Contains(buf.String(), "msg_id=x") {
		t.Errorf("log %q lacks the store failure with msg_id", buf.String())
	}
}

func TestMaxInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var running, peak atomic.Int32
		h := MaxInFlight(2)(func(ctx context.Context, m *Message) (handlers.Reply, error) {
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			<-release
			running.Add(-1)
			return handlers.Reply{Intent: "task"}, nil
		})
		errs := make(chan error, 3)
		for range 3 {
			go func() {
				_, err := h(t.Context(), &Message{})
				errs <- err
			}()
		}
		synctest.Wait() // two run, one waits for a slot
		if got := running.Load(); got != 2 {
			t.Fatalf("running = %d, want 2", got)
		}
		// A fourth message whose context ends while all slots are busy.
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		_, err := h(ctx, &Message{})
		if !errors.Is(err, ErrBusy) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("busy err = %v, want ErrBusy and DeadlineExceeded", err)
		}
		close(release)
		for range 3 {
			if err := <-errs; err != nil {
				t.Errorf("queued message: %v", err)
			}
		}
		if p := peak.Load(); p != 2 {
			t.Errorf("peak in flight = %d, want 2", p)
		}
	})
}

func TestMaxInFlightPanicsOnZero(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MaxInFlight(0) did not panic")
		}
	}()
	MaxInFlight(0)
}

func TestTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := Timeout(3 * time.Second)(func(ctx context.Context, m *Message) (handlers.Reply, error) {
			start := time.Now()
			<-ctx.Done()
			if got := time.Since(start); got != 3*time.Second {
				t.Errorf("deadline after %v, want 3s", got)
			}
			return handlers.Reply{}, ctx.Err()
		})
		if _, err := h(t.Context(), &Message{}); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want DeadlineExceeded", err)
		}
		// d <= 0 adds no deadline.
		Timeout(0)(func(ctx context.Context, m *Message) (handlers.Reply, error) {
			if _, ok := ctx.Deadline(); ok {
				t.Error("Timeout(0) set a deadline")
			}
			return handlers.Reply{}, nil
		})(t.Context(), &Message{})
	})
}
