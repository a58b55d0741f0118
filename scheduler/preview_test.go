package scheduler

import (
	"slices"
	"testing"

	"duban/handlers"
)

// TestPreview: the dry run shows exactly the messages a run then sends,
// and after the run shows every reminder as already sent and nothing to
// post; a reminder whose milestone moves on is due again.
func TestPreview(t *testing.T) {
	c := &clock{t: at(2020, 5, 31)}
	st := newFakeStore(c.Now)
	p := &fakePusher{now: c.Now}
	cfg := fixtureConfig()
	cfg.Now = c.Now
	s, err := New(cfg, fixtureBase(t), p, st)
	if err != nil {
		t.Fatal(err)
	}
	messages := func(ps []Push) (msgs []string, sent, unsent int) {
		for _, x := range ps {
			msgs = append(msgs, x.Messages...)
			for _, task := range x.Tasks {
				if task.AlreadySent {
					sent++
				} else {
					unsent++
				}
			}
		}
		return msgs, sent, unsent
	}
	tests := []struct {
		name         string
		day          int // of June 2020; 0: May 31
		run          bool
		sent, unsent int
	}{
		{"before the run", 0, false, 0, 7},
		{"after the run", 0, true, 7, 0},
		// people 1 is overdue on June 1; the other reminders stay sent.
		{"a milestone moves on", 1, false, 6, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := at(2020, 5, 31).AddDate(0, 0, tt.day)
			c.Set(now)
			if tt.run {
				if _, err := s.Run(t.Context(), now); err != nil {
					t.Fatal(err)
				}
			}
			ps, err := s.Preview(t.Context(), now)
			if err != nil {
				t.Fatal(err)
			}
			msgs, sent, unsent := messages(ps)
			if sent != tt.sent || unsent != tt.unsent {
				t.Errorf("%d reminders marked already sent, %d to send; want %d, %d", sent, unsent, tt.sent, tt.unsent)
			}
			if tt.unsent == 0 && len(msgs) != 0 {
				t.Errorf("nothing to send, but %d messages previewed", len(msgs))
			}
			if tt.unsent > 0 && !tt.run {
				// What the preview shows is what the next run posts.
				p.reset()
				if _, err := s.Run(t.Context(), now); err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, d := range p.deliveries() {
					ch := cfg.Chats[chatIndex(cfg.Chats, d.chat)]
					got = append(got, handlers.Render(d.reply, testDialect(ch.Type, len(d.reply.Mentions) > 0))...)
				}
				slices.Sort(got)
				slices.Sort(msgs)
				if !slices.Equal(got, msgs) {
					t.Errorf("previewed %d messages, run sent %d:\npreview %q\n   sent %q", len(msgs), len(got), msgs, got)
				}
			}
		})
	}
}
