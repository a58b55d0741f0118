package scheduler

import (
	"strings"
	"testing"
	"time"

	"duban/kb"
)

// escalationBase is fixtureBase with a division of labour: 张三 分管住建局.
func escalationBase(t *testing.T) *kb.Base {
	t.Helper()
	c := *fixtureBase(t).Contents()
	c.Leaders = []kb.Leader{{Name: "张三", Oversees: []string{"住建局"}}}
	b, err := kb.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func escalationConfig(edit func(*Config)) Config {
	cfg := fixtureConfig()
	cfg.Chats = append(cfg.Chats,
		Chat{Name: "督查群", Type: WeComWebhook, HasCredentials: true},
		Chat{Name: "张三群", Type: WeComWebhook, Leader: "张三", HasCredentials: true})
	cfg.Escalate = Escalation{AfterDays: []int{10, 3}, Chat: "督查群", Leaders: true}
	if edit != nil {
		edit(&cfg)
	}
	return cfg
}

// escalations lists, per chat, the escalation milestones Plan holds for
// key_tasks 1 (住建局, due 2020-06-30).
func escalations(t *testing.T, s *Scheduler, now time.Time) map[string]string {
	out := map[string]string{}
	for _, p := range s.Plan(now) {
		for _, pt := range p.Tasks {
			if pt.Role == RoleEscalate && pt.Table == kb.KeyTasks && pt.No == 1 {
				out[p.Chat] = pt.Milestone
			}
		}
	}
	return out
}

func TestEscalationStages(t *testing.T) {
	tests := []struct {
		name   string
		now    time.Time
		status kb.State
		want   string // milestone in 督查群 and 张三群; "" none
	}{
		{"due day: not red", at(2020, 6, 30), "", ""},
		{"red 2 days", at(2020, 7, 2), "", ""},
		{"red 3 days", at(2020, 7, 3), "", "escalate-3"},
		{"red 9 days: stage 3 holds", at(2020, 7, 9), "", "escalate-3"},
		{"red 10 days", at(2020, 7, 10), "", "escalate-10"},
		{"red 60 days: the last stage holds", at(2020, 8, 29), "", "escalate-10"},
		{"an extension requested is still red", at(2020, 7, 3), kb.Extension, "escalate-3"},
		{"reported done: never", at(2020, 7, 10), kb.Done, ""},
		{"extension approved to 7月底: not red", at(2020, 7, 10), kb.ExtensionApproved, ""},
		// Counted from the new date, under its own key: the ledger holds
		// escalate-3 of the original date already.
		{"extension approved to 7月底, red again 3 days after it", at(2020, 8, 3), kb.ExtensionApproved, "escalate-3@2020-07-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := escalationConfig(func(c *Config) {
				if tt.status != "" {
					c.Status = func(tb kb.Table, no int) (kb.Status, bool) {
						return kb.Status{Table: tb, No: no, State: tt.status, Extension: "7月底"}, tb == kb.KeyTasks && no == 1
					}
				}
			})
			s, err := New(cfg, escalationBase(t), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := escalations(t, s, tt.now)
			for _, chat := range []string{"督查群", "张三群"} {
				if got[chat] != tt.want {
					t.Errorf("%s: escalation = %q, want %q (all: %v)", chat, got[chat], tt.want, got)
				}
			}
			if _, ok := got["住建群"]; ok {
				t.Errorf("the lead unit's own chat got an escalation: %v", got)
			}
		})
	}
}

func TestEscalationLeadersOnlyWhenAsked(t *testing.T) {
	cfg := escalationConfig(func(c *Config) { c.Escalate.Leaders = false })
	s, err := New(cfg, escalationBase(t), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := escalations(t, s, at(2020, 7, 3))
	if got["督查群"] != "escalate-3" || got["张三群"] != "" {
		t.Errorf("escalations = %v, want 督查群 only", got)
	}
}

func TestEscalationConfigRefused(t *testing.T) {
	for _, e := range []Escalation{
		{AfterDays: []int{0}, Chat: "督查群"},
		{AfterDays: []int{3}, Chat: "nowhere"},
		{AfterDays: []int{3}},
	} {
		cfg := escalationConfig(func(c *Config) { c.Escalate = e })
		if _, err := New(cfg, escalationBase(t), nil, nil); err == nil || !strings.Contains(err.Error(), "escalate") {
			t.Errorf("New with escalate %+v: err = %v, want an escalate error", e, err)
		}
	}
}

// TestEscalationOncePerStage runs daily ticks through July: each stage
// reaches 督查群 exactly once, inside its digest, with the lead unit named.
func TestEscalationOncePerStage(t *testing.T) {
	c := &clock{t: at(2020, 7, 1)}
	st, p := newFakeStore(c.Now), &fakePusher{now: c.Now}
	cfg := escalationConfig(nil)
	cfg.Now, cfg.Sleep = c.Now, (&sleeper{c: c}).Sleep
	s, err := New(cfg, escalationBase(t), p, st)
	if err != nil {
		t.Fatal(err)
	}
	stages := map[string]int{}
	for d := 1; d <= 31; d++ {
		c.Set(at(2020, 7, d))
		for range 2 { // a second run the same day sends nothing more
			if _, err := s.Run(t.Context(), c.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	perDay := map[string]int{}
	for _, dl := range p.deliveries() {
		perDay[dl.chat+dl.at.Format("0102")]++
		if dl.chat != "督查群" {
			continue
		}
		text := dl.reply.Text()
		if strings.Contains(text, "升级督办·住建局") {
			stages[dl.at.Format("0102")]++
		}
	}
	// key_tasks 1 is red from July 1: stage 3 on July 3, stage 10 on July 10.
	if stages["0703"] != 1 || stages["0710"] != 1 || len(stages) != 2 {
		t.Errorf("督查群 escalation digests by day = %v, want one on 0703 and one on 0710", stages)
	}
	for k, n := range perDay {
		if n > 1 {
			t.Errorf("%s: %d messages in a day, want at most 1", k, n)
		}
	}
	if d := st.doubled(); len(d) > 0 {
		t.Errorf("confirmed twice: %v", d)
	}
}
