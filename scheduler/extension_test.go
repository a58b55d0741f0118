package scheduler

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"duban/kb"
)

// TestExtensionMovesMilestones: the milestones, the overdue cadence and the
// date a digest line counts from follow an approved extension (同意延期至7
// 月底) of key_tasks 1 (住建局, due 2020-06-30); a pending or refused request
// moves nothing.
func TestExtensionMovesMilestones(t *testing.T) {
	tests := []struct {
		name  string
		state kb.State
		now   time.Time
		want  string // the milestone in 住建群; "" none
		due   string // PushTask.Due
		line  string // in the digest line
	}{
		{"no report, overdue", "", at(2020, 7, 1), "overdue-1", "2020-06-30", "逾期1天"},
		{"extension requested: still overdue", kb.Extension, at(2020, 7, 1), "overdue-1", "2020-06-30", "逾期1天"},
		{"extension refused: still overdue", kb.ExtensionRejected, at(2020, 7, 8), "overdue-2", "2020-06-30", "逾期8天"},
		{"approved: counted down to the new date", kb.ExtensionApproved, at(2020, 7, 2), "due-30@2020-07-31", "2020-07-31", "7月31日"},
		{"approved: a week before the new date", kb.ExtensionApproved, at(2020, 7, 24), "due-7@2020-07-31", "2020-07-31", "7月31日"},
		{"approved: the new date passed", kb.ExtensionApproved, at(2020, 8, 1), "overdue-1@2020-07-31", "2020-07-31", "逾期1天"},
		{"approved: the cadence from the new date", kb.ExtensionApproved, at(2020, 8, 8), "overdue-2@2020-07-31", "2020-07-31", "逾期8天"},
		{"approved, then done", kb.Done, at(2020, 8, 8), "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := fixtureConfig()
			if tt.state != "" {
				cfg.Status = func(tb kb.Table, no int) (kb.Status, bool) {
					return kb.Status{Table: tb, No: no, State: tt.state, Extension: "7月底"}, tb == kb.KeyTasks && no == 1
				}
			}
			s, err := New(cfg, fixtureBase(t), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got, due, text string
			for _, p := range s.Plan(tt.now) {
				for _, pt := range p.Tasks {
					if p.Chat == "住建群" && pt.Table == kb.KeyTasks && pt.No == 1 {
						got, due, text = pt.Milestone, pt.Due, p.Text
					}
				}
			}
			if got != tt.want || due != tt.due {
				t.Fatalf("milestone %q due %q, want %q due %q", got, due, tt.want, tt.due)
			}
			if !strings.Contains(text, tt.line) {
				t.Errorf("digest does not say %q:\n%s", tt.line, text)
			}
			if tt.state == kb.ExtensionApproved && strings.Contains(text, "6月30日") {
				t.Errorf("digest counts from the original date:\n%s", text)
			}
		})
	}
}

// TestExtensionOverASummer ticks every weekday from June to September.
// key_tasks 1 goes overdue on 1 July; on 2 July the 督查办 approves an
// extension to 7月底. No overdue reminder may reach 住建群 until the new
// date has passed, then they resume on the rule's cadence counted from it.
func TestExtensionOverASummer(t *testing.T) {
	var mu sync.Mutex
	var st kb.Status
	r := newRig(t, func(c *Config) {
		c.Status = func(tb kb.Table, no int) (kb.Status, bool) {
			mu.Lock()
			defer mu.Unlock()
			return st, st.State != "" && tb == kb.KeyTasks && no == 1
		}
	})
	const prefix = "remind|key_tasks#1|住建群|"
	sent := map[string]string{} // milestone → day first confirmed
	for day := at(2020, 6, 1); day.Before(at(2020, 10, 1)); day = day.AddDate(0, 0, 1) {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		if day.Equal(at(2020, 7, 2)) {
			mu.Lock()
			st = kb.Status{Table: kb.KeyTasks, No: 1, State: kb.ExtensionApproved, Extension: "7月底"}
			mu.Unlock()
		}
		r.clock.Set(day)
		if _, err := r.s.Run(t.Context(), day); err != nil {
			t.Fatalf("%s: %v", day.Format(time.DateOnly), err)
		}
		r.st.mu.Lock()
		for k := range r.st.confirms {
			if m, ok := strings.CutPrefix(k, prefix); ok && sent[m] == "" {
				sent[m] = day.Format("01-02")
			}
		}
		r.st.mu.Unlock()
	}
	var got []string
	for m, d := range sent {
		got = append(got, d+" "+m)
	}
	slices.Sort(got)
	want := []string{
		"06-01 due-30", "06-23 due-7", "06-29 due-1", "07-01 overdue-1",
		// approved on 07-02: counted down to 07-31, weekends moved to Monday
		"07-02 due-30@2020-07-31", "07-24 due-7@2020-07-31", "07-30 due-1@2020-07-31",
		"08-03 overdue-1@2020-07-31", "08-10 overdue-2@2020-07-31", "08-17 overdue-3@2020-07-31",
		"08-24 overdue-4@2020-07-31", "08-31 overdue-5@2020-07-31", "09-07 overdue-6@2020-07-31",
		"09-14 overdue-7@2020-07-31", "09-21 overdue-8@2020-07-31", "09-28 overdue-9@2020-07-31",
	}
	if !slices.Equal(got, want) {
		t.Errorf("reminders of key_tasks 1 in 住建群:\n got %q\nwant %q", got, want)
	}
	if d := r.st.doubled(); len(d) > 0 {
		t.Errorf("confirmed twice: %v", d)
	}
}

// TestExtensionInUrgingAndBulletin: a 催办 of a task granted an extension
// counts its days from the approved date, and the 通报 does not count the
// task as due before that date; a pending request changes neither.
func TestExtensionInUrgingAndBulletin(t *testing.T) {
	now := at(2020, 7, 10) // 10 days past 6月30日, 21 days before 7月31日
	for _, tt := range []struct {
		state kb.State
		line  string // in the 催办
		due   int    // 通报: tasks due by now (key_tasks 1, 2 and people_projects 1 are dated before)
	}{
		{kb.Extension, "逾期10天", 3},
		{kb.ExtensionApproved, "还剩21天", 2},
	} {
		t.Run(string(tt.state), func(t *testing.T) {
			cfg := fixtureConfig()
			cfg.Status = func(tb kb.Table, no int) (kb.Status, bool) {
				return kb.Status{Table: tb, No: no, State: tt.state, Extension: "7月底"}, tb == kb.KeyTasks && no == 1
			}
			b := fixtureBase(t)
			s, err := New(cfg, b, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			rec, _ := b.Task(kb.KeyTasks, 1)
			_, r, err := s.UrgePreview(UrgeRequest{Record: rec, From: "督查群", By: "王五"}, now)
			if err != nil {
				t.Fatal(err)
			}
			if txt := r.Text(); !strings.Contains(txt, tt.line) {
				t.Errorf("催办 does not say %q:\n%s", tt.line, txt)
			}
			if _, tot := s.Standing(now); tot.Due != tt.due {
				t.Errorf("通报: %d tasks due by %s, want %d", tot.Due, now.Format(time.DateOnly), tt.due)
			}
		})
	}
}
