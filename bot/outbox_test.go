package bot

import (
	"context"
	"errors"
	"slices"
	"testing"

	"duban/handlers"
	"duban/outbound"
)

type fakeSender struct {
	got []handlers.Reply
	err error
}

func (s *fakeSender) Send(_ context.Context, r handlers.Reply) error {
	s.got = append(s.got, r)
	return s.err
}

var _ Sender = (*fakeSender)(nil)

// pusher is the scheduler's interface, restated here so this test checks
// Outbox satisfies it without importing scheduler.
type pusher interface {
	Push(ctx context.Context, chat string, r handlers.Reply) error
}

var _ pusher = (*Outbox)(nil)

type rateLimited struct{}

func (rateLimited) Error() string   { return "rate limited" }
func (rateLimited) Retryable() bool { return true }

func TestOutboxPush(t *testing.T) {
	var o Outbox
	zjj, jtj := &fakeSender{}, &fakeSender{err: rateLimited{}}
	o.Add("住建局工作群", zjj)
	o.Add("交通局工作群", jtj)
	if got, want := o.Chats(), []string{"交通局工作群", "住建局工作群"}; !slices.Equal(got, want) {
		t.Errorf("Chats() = %v, want %v", got, want)
	}

	r := handlers.Reply{Head: "到期提醒"}
	if err := o.Push(t.Context(), "住建局工作群", r); err != nil || len(zjj.got) != 1 || zjj.got[0].Head != r.Head {
		t.Errorf("Push to 住建局工作群: err %v, sent %v", err, zjj.got)
	}
	err := o.Push(t.Context(), "交通局工作群", r)
	var re RetryableError
	if !errors.As(err, &re) || !re.Retryable() {
		t.Errorf("Push error %v does not expose the sender's RetryableError", err)
	}
	if err := o.Push(t.Context(), "无此群", r); !errors.Is(err, ErrUnknownChat) {
		t.Errorf("Push to unknown chat: err = %v, want ErrUnknownChat", err)
	}
}

func TestOutboxAddPanics(t *testing.T) {
	tests := []struct {
		name string
		add  func(o *Outbox)
	}{
		{"duplicate", func(o *Outbox) { o.Add("群", &fakeSender{}); o.Add("群", &fakeSender{}) }},
		{"empty name", func(o *Outbox) { o.Add("", &fakeSender{}) }},
		{"nil sender", func(o *Outbox) { o.Add("群", nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Add did not panic")
				}
			}()
			tt.add(&Outbox{})
		})
	}
}

// renderingSender is a Sender that is also an outbound.Sender.
type renderingSender struct {
	fakeSender
}

func (s *renderingSender) Render(r handlers.Reply) []outbound.Message {
	return []outbound.Message{{Text: r.Head}, {Text: r.Head}, {Text: r.Head}}
}
func (s *renderingSender) Limit(handlers.Reply) int { return 100 }
func (s *renderingSender) Post(context.Context, outbound.Message) error {
	return nil
}

// TestOutboxSender: the scheduler gets a chat's sender when it renders
// for itself, and none for a chat unknown or whose sender does not.
func TestOutboxSender(t *testing.T) {
	var o Outbox
	o.Add("rendering", &renderingSender{})
	o.Add("plain", &fakeSender{})
	r := handlers.Reply{Head: "h"}
	for _, tt := range []struct {
		chat  string
		ok    bool
		parts int
	}{{"rendering", true, 3}, {"plain", false, 0}, {"unknown", false, 0}} {
		s, ok := o.Sender(tt.chat)
		if ok != tt.ok {
			t.Fatalf("Sender(%q) ok = %v, want %v", tt.chat, ok, tt.ok)
		}
		if ok && len(s.Render(r)) != tt.parts {
			t.Errorf("Sender(%q) renders %d messages, want %d", tt.chat, len(s.Render(r)), tt.parts)
		}
	}
}
