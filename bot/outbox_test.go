package bot

import (
	"context"
	"errors"
	"slices"
	"testing"

	"duban/handlers"
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

type countingSender struct {
	fakeSender
	parts int
}

func (s *countingSender) Parts(handlers.Reply) int { return s.parts }

func TestOutboxParts(t *testing.T) {
	var o Outbox
	o.Add("counted", &countingSender{parts: 3})
	o.Add("plain", &fakeSender{})
	r := handlers.Reply{Head: "h"}
	for _, tt := range []struct {
		chat string
		want int
	}{{"counted", 3}, {"plain", 1}, {"unknown", 1}} {
		if got := o.Parts(tt.chat, r); got != tt.want {
			t.Errorf("Parts(%q) = %d, want %d", tt.chat, got, tt.want)
		}
	}
}
