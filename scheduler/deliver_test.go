package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"duban/handlers"
	"duban/outbound"
)

// piecesPusher's senders make three messages of every reply (a sender
// that splits a long reminder), fail the posts fail says and record what
// they accept.
type piecesPusher struct {
	fail func(chat string, n int) error // n counts posts to chat from 1

	mu    sync.Mutex
	posts map[string]int
	got   map[string][]string // accepted texts by chat
}

func (p *piecesPusher) Sender(c Chat) (outbound.Sender, bool) { return piecesSender{p, c.Name}, true }

func (p *piecesPusher) accepted(chat string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.got[chat])
}

type piecesSender struct {
	p    *piecesPusher
	chat string
}

func (s piecesSender) Render(r handlers.Reply) []outbound.Message {
	var out []outbound.Message
	for i := range 3 {
		t := fmt.Sprintf("%s #%d/3", r.Head, i+1)
		out = append(out, outbound.Message{Text: t, Body: []byte(t)})
	}
	return out
}

func (piecesSender) Limit(handlers.Reply) int { return 4000 }

func (s piecesSender) Post(_ context.Context, m outbound.Message) error {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	if s.p.posts == nil {
		s.p.posts, s.p.got = map[string]int{}, map[string][]string{}
	}
	s.p.posts[s.chat]++
	if s.p.fail != nil {
		if err := s.p.fail(s.chat, s.p.posts[s.chat]); err != nil {
			return err
		}
	}
	s.p.got[s.chat] = append(s.p.got[s.chat], string(m.Body))
	return nil
}

func piecesRig(t *testing.T, p *piecesPusher, edit func(*Config)) (*Scheduler, *fakeStore, *sleeper) {
	t.Helper()
	c := &clock{t: at(2020, 6, 1)}
	sl, st := &sleeper{c: c}, newFakeStore(c.Now)
	cfg := fixtureConfig()
	cfg.Now, cfg.Sleep = c.Now, sl.Sleep
	if edit != nil {
		edit(&cfg)
	}
	s, err := New(cfg, fixtureBase(t), p, st)
	if err != nil {
		t.Fatal(err)
	}
	return s, st, sl
}

// TestRetryResumesWithinAPart: when the second of a part's three
// messages fails and the retry succeeds, the retry posts from that
// message on: the first is not posted twice, and the part's reminders
// are confirmed once, after its last message.
func TestRetryResumesWithinAPart(t *testing.T) {
	p := &piecesPusher{fail: func(chat string, n int) error {
		if chat == "住建群" && n == 2 {
			return errBusy
		}
		return nil
	}}
	s, _, _ := piecesRig(t, p, nil)
	rep, err := s.Run(t.Context(), monday)
	if err != nil {
		t.Fatal(err)
	}
	got := p.accepted("住建群")
	if len(got) != 3 || got[0] == got[1] || got[1] == got[2] {
		t.Fatalf("住建群 accepted %q, want its three messages once each", got)
	}
	for i, m := range got {
		if want := fmt.Sprintf("#%d/3", i+1); m[len(m)-len(want):] != want {
			t.Errorf("message %d is %q, want …%s: out of order", i+1, m, want)
		}
	}
	if rep.Retries != 1 || rep.Sent != 7 || rep.Failed != 0 {
		t.Errorf("report %+v, want 7 sent after one retry", rep)
	}
	again, err := s.Run(t.Context(), monday)
	if err != nil || again.Sent != 0 || again.Skipped != 7 {
		t.Errorf("second run %+v, %v: want everything skipped", again, err)
	}
}

// TestPartFailsWhole: a part whose second message fails for good is
// released whole (its reminders were not all delivered), so the next run
// sends it again from its first message; parts are the unit of the
// ledger.
func TestPartFailsWhole(t *testing.T) {
	p := &piecesPusher{fail: func(chat string, n int) error {
		if chat == "住建群" && n == 2 {
			return errBadKey
		}
		return nil
	}}
	s, _, _ := piecesRig(t, p, nil)
	rep, err := s.Run(t.Context(), monday)
	if err == nil || rep.Failed != 1 || rep.Sent != 6 {
		t.Fatalf("Run = %+v, %v; want 住建群's reminder failed, the 6 others sent", rep, err)
	}
	if got := p.accepted("住建群"); len(got) != 1 {
		t.Fatalf("住建群 accepted %q before the failure, want its first message", got)
	}
	rep, err = s.Run(t.Context(), monday)
	if err != nil || rep.Sent != 1 || rep.Skipped != 6 {
		t.Fatalf("next run %+v, %v; want 住建群's reminder sent, 6 skipped", rep, err)
	}
	if got := p.accepted("住建群"); len(got) != 4 {
		t.Errorf("住建群 accepted %d messages over both runs, want 1 + 3", len(got))
	}
}

// TestEveryMessageTakesASlot: each message of a part takes its own slot
// of the chat's window, so a part of three messages at two a minute
// waits once, for the minute.
func TestEveryMessageTakesASlot(t *testing.T) {
	p := &piecesPusher{}
	s, _, sl := piecesRig(t, p, func(c *Config) {
		c.RateBurst, c.RatePer, c.Concurrency = 2, time.Minute, 1
		c.Chats = c.Chats[:1] // 住建群: one part of three messages
	})
	rep, err := s.Run(t.Context(), monday)
	if err != nil {
		t.Fatal(err)
	}
	if rep.RateWaits != 1 || rep.Waited != time.Minute || !slices.Equal(sl.waits(), []time.Duration{time.Minute}) {
		t.Errorf("report %+v, slept %v; want one wait of a minute", rep, sl.waits())
	}
}

// partialPusher has no sender for one chat.
type partialPusher struct {
	fakePusher
	without string
}

func (p *partialPusher) Sender(c Chat) (outbound.Sender, bool) {
	if c.Name == p.without {
		return nil, false
	}
	return p.fakePusher.Sender(c)
}

// TestChatWithoutSender: a chat the Pusher has no sender for is named at
// New, and its reminders fail (released for a later run) while the other
// chats' are sent.
func TestChatWithoutSender(t *testing.T) {
	var logs syncBuffer
	c := &clock{t: at(2020, 6, 1)}
	p := &partialPusher{without: "交通群"}
	cfg := fixtureConfig()
	cfg.Now, cfg.Sleep = c.Now, (&sleeper{c: c}).Sleep
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	s, err := New(cfg, fixtureBase(t), p, newFakeStore(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "chat=交通群") {
		t.Errorf("New did not name the chat without a sender:\n%s", logs.String())
	}
	rep, err := s.Run(t.Context(), monday)
	if !errors.Is(err, ErrNoSender) || rep.Failed != 1 || rep.Sent != 6 {
		t.Errorf("Run = %+v, %v; want 交通群's reminder failed with ErrNoSender, 6 sent", rep, err)
	}
}

// TestStopDoesNotSplitAPart: a stop that comes once a part's first
// message is out lets the part's other messages go (their waits for a
// slot included) and confirms it; the next run sends nothing again.
func TestStopDoesNotSplitAPart(t *testing.T) {
	ctx, stop := context.WithCancel(t.Context())
	p := &piecesPusher{fail: func(chat string, n int) error {
		if n == 1 {
			stop() // SIGTERM while the first message is in flight
		}
		return nil
	}}
	s, _, _ := piecesRig(t, p, func(c *Config) { c.Chats, c.RateBurst = c.Chats[:1], 1 })
	if _, err := s.Run(ctx, monday); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if got := p.accepted("住建群"); len(got) != 3 {
		t.Fatalf("住建群 accepted %q, want the part's three messages", got)
	}
	rep, err := s.Run(t.Context(), monday)
	if err != nil || rep.Sent != 0 || rep.Skipped != 1 {
		t.Errorf("next run %+v, %v: want 住建群's reminder skipped as sent", rep, err)
	}
}
