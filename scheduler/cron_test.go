package scheduler

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"duban/handlers"
	"duban/kb"
	"duban/outbound"
)

// cronBase has one task due Wednesday 2000-01-12: synctest's clock starts
// at 2000-01-01 00:00 UTC (08:00 on a Saturday in Shanghai).
func cronBase(t *testing.T) *kb.Base {
	b, err := kb.New(kb.Contents{Records: []kb.Record{{
		Table: kb.KeyTasks, No: 9, Text: "完成示范路建设。", LeadUnits: []string{"住建局"},
		DeadlineText: "1月12日前", Due: kb.NewDate(2000, 1, 12), Source: kb.Source{File: "f.txt", Line: 1},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// syncBuffer is a log sink safe for the cron goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func cronScheduler(t *testing.T, base *kb.Base, p Pusher, logs *syncBuffer) *Scheduler {
	cfg := Config{
		Chats:     []Chat{{Name: "住建群", Type: WeComWebhook, Units: []string{"住建局"}, HasCredentials: true}},
		Reminders: []Rule{{Cron: "0 9 * * 1-5", DaysBefore: []int{7, 1}}},
		Logger:    slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	s, err := New(cfg, base, p, newFakeStore(time.Now))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStartCron(t *testing.T) {
	base := cronBase(t) // outside the bubble: the index starts shared workers
	synctest.Test(t, func(t *testing.T) {
		p := &fakePusher{now: time.Now}
		logs := &syncBuffer{}
		s := cronScheduler(t, base, p, logs)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- s.Start(ctx) }()
		time.Sleep(20 * 24 * time.Hour)
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Start: %v", err)
		}
		// due-7: Wed Jan 5; due-1: Tue Jan 11; overdue-1: Thu Jan 13; all
		// at 09:00 Shanghai, and nothing more.
		var got []string
		for _, d := range p.deliveries() {
			got = append(got, d.at.In(kb.Location).Format("2006-01-02 15:04"))
		}
		want := []string{"2000-01-05 09:00", "2000-01-11 09:00", "2000-01-13 09:00"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("pushed at %v, want %v", got, want)
		}
		if !strings.Contains(logs.String(), "reminders: tick") {
			t.Errorf("no tick logged:\n%s", logs)
		}
	})
}

// blockingPusher blocks its first push until released or ctx ends, and
// panics at its second when told to.
type blockingPusher struct {
	fakePusher
	hold    time.Duration
	deaf    bool // hold ignores ctx
	panicAt int
	bmu     sync.Mutex
	calls   int
}

func (b *blockingPusher) Sender(c Chat) (outbound.Sender, bool) {
	return replySender{chat: c, book: &b.book, push: b.Push}, true
}

func (b *blockingPusher) Push(ctx context.Context, chat string, r handlers.Reply) error {
	b.bmu.Lock()
	b.calls++
	n := b.calls
	b.bmu.Unlock()
	if n == 1 && b.deaf {
		time.Sleep(b.hold)
	} else if n == 1 && b.hold > 0 {
		select {
		case <-time.After(b.hold):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if n == b.panicAt {
		panic("pusher bug")
	}
	return b.fakePusher.Push(ctx, chat, r)
}

func TestStartSkipsOverlapAndRecovers(t *testing.T) {
	base := cronBase(t) // outside the bubble: the index starts shared workers
	synctest.Test(t, func(t *testing.T) {
		// The first push (Wed Jan 5) hangs for 25 hours, past Thursday's
		// tick, which is skipped, and then succeeds. The next push (due-1,
		// Tue Jan 11) panics: contained, released, sent on Wednesday.
		p := &blockingPusher{hold: 25 * time.Hour, panicAt: 2}
		p.now = time.Now
		logs := &syncBuffer{}
		s := cronScheduler(t, base, p, logs)
		s.cfg.PushTimeout = 26 * time.Hour
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- s.Start(ctx) }()
		time.Sleep(14 * 24 * time.Hour)
		cancel()
		<-done
		out := logs.String()
		if !strings.Contains(out, "tick skipped, the previous run is still going") {
			t.Errorf("overlapping tick not skipped:\n%s", out)
		}
		if !strings.Contains(out, "pusher panicked: pusher bug") {
			t.Errorf("panic not reported:\n%s", out)
		}
		var got []string
		for _, d := range p.deliveries() {
			got = append(got, d.at.In(kb.Location).Format("2006-01-02 15:04"))
		}
		// The panic is released and the tick runs again a minute later
		// (Config.RetryBackoff), the same day.
		want := []string{"2000-01-06 10:00", "2000-01-11 09:01", "2000-01-13 09:00"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("pushed at %v, want %v", got, want)
		}
	})
}

func TestStartWaitsForRunningJob(t *testing.T) {
	base := cronBase(t)
	// A stop (SIGTERM, a reload) lets the message in flight finish, whether
	// or not the sender honours its context: cutting it off would leave its
	// outcome unknown, and releasing a message the platform accepted sends
	// it twice. Start returns once it is confirmed.
	tests := []struct {
		name      string
		deaf      bool // the push ignores ctx and takes its full hour
		delivered int
	}{
		{"push honours ctx", false, 1},
		{"push ignores ctx", true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := &blockingPusher{hold: time.Hour, deaf: tt.deaf}
				p.now = time.Now
				s := cronScheduler(t, base, p, &syncBuffer{})
				s.cfg.PushTimeout = 2 * time.Hour
				ctx, cancel := context.WithCancel(t.Context())
				done := make(chan error, 1)
				go func() { done <- s.Start(ctx) }()
				// Wed Jan 5 09:00 Shanghai is 01:00 UTC; a minute later the
				// push is in flight.
				time.Sleep(4*24*time.Hour + time.Hour + time.Minute)
				cancel()
				synctest.Wait()
				select {
				case <-done:
					t.Fatal("Start returned while a message was in flight")
				default:
					time.Sleep(time.Hour)
					<-done
				}
				if n := len(p.deliveries()); n != tt.delivered {
					t.Errorf("%d deliveries, want %d", n, tt.delivered)
				}
			})
		})
	}
}

// TestRunSlowChatHoldsNoOneUp: a chat whose push takes 20 seconds does not
// delay the others, which are pushed concurrently.
func TestRunSlowChatHoldsNoOneUp(t *testing.T) {
	base := fixtureBase(t)
	synctest.Test(t, func(t *testing.T) {
		p := &slowPusher{slow: "住建群", hold: 20 * time.Second}
		p.now = time.Now
		cfg := fixtureConfig()
		cfg.Concurrency = 2
		s, err := New(cfg, base, p, newFakeStore(time.Now))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := s.Run(t.Context(), monday); err != nil {
			t.Fatal(err)
		}
		for _, d := range p.deliveries() {
			want := time.Duration(0)
			if d.chat == "住建群" {
				want = 20 * time.Second
			}
			if got := d.at.Sub(start); got != want {
				t.Errorf("%s pushed after %v, want %v", d.chat, got, want)
			}
		}
	})
}

// slowPusher takes hold for every push to chat slow.
type slowPusher struct {
	fakePusher
	slow string
	hold time.Duration
}

func (p *slowPusher) Sender(c Chat) (outbound.Sender, bool) {
	return replySender{chat: c, book: &p.book, push: p.Push}, true
}

func (p *slowPusher) Push(ctx context.Context, chat string, r handlers.Reply) error {
	if chat == p.slow {
		select {
		case <-time.After(p.hold):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return p.fakePusher.Push(ctx, chat, r)
}
