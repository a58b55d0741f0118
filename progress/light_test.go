package progress

import (
	"testing"
	"time"

	"duban/kb"
)

func TestLightOf(t *testing.T) {
	due := kb.NewDate(2020, 12, 31)
	at := func(m time.Month, d, h int) time.Time { return time.Date(2020, m, d, h, 0, 0, 0, kb.Location) }
	st := func(s kb.State) kb.Status { return kb.Status{State: s} }
	tests := []struct {
		name string
		due  *kb.Date
		s    kb.Status
		now  time.Time
		th   Thresholds
		want Light
	}{
		// done beats every date
		{"done early", due, st(kb.Done), at(3, 1, 9), Thresholds{}, LightDone},
		{"done late", due, st(kb.Done), time.Date(2021, 3, 1, 9, 0, 0, 0, kb.Location), Thresholds{}, LightDone},
		{"done undated", nil, st(kb.Done), at(3, 1, 9), Thresholds{}, LightDone},
		// no date
		{"undated", nil, kb.Status{}, at(3, 1, 9), Thresholds{}, LightUndated},
		{"undated extension", nil, st(kb.Extension), at(3, 1, 9), Thresholds{}, LightUndated},
		// far from the date
		{"far, no report", due, kb.Status{}, at(6, 1, 9), Thresholds{}, LightGreen},
		{"far, in progress", due, st(kb.InProgress), at(6, 1, 9), Thresholds{}, LightGreen},
		{"far, extension", due, st(kb.Extension), at(6, 1, 9), Thresholds{}, LightYellow},
		// the yellow window: 14 days by default, the due day is 0 days left
		{"15 days left", due, kb.Status{}, at(12, 16, 9), Thresholds{}, LightGreen},
		{"14 days left", due, kb.Status{}, at(12, 17, 9), Thresholds{}, LightYellow},
		{"14 days left, 未开始 reported", due, st(kb.NotStarted), at(12, 17, 9), Thresholds{}, LightYellow},
		{"14 days left, in progress", due, st(kb.InProgress), at(12, 17, 9), Thresholds{}, LightGreen},
		{"due day, late evening", due, kb.Status{}, at(12, 31, 23), Thresholds{}, LightYellow},
		{"custom window 30", due, kb.Status{}, at(12, 1, 9), Thresholds{YellowDays: 30}, LightYellow},
		{"custom window 3", due, kb.Status{}, at(12, 27, 9), Thresholds{YellowDays: 3}, LightGreen},
		// overdue: the day after the due day, in Shanghai
		{"day after", due, kb.Status{}, time.Date(2021, 1, 1, 0, 30, 0, 0, kb.Location), Thresholds{}, LightRed},
		{"day after, UTC clock", due, kb.Status{}, time.Date(2020, 12, 31, 16, 30, 0, 0, time.UTC), Thresholds{}, LightRed},
		{"overdue in progress", due, st(kb.InProgress), time.Date(2021, 1, 5, 9, 0, 0, 0, kb.Location), Thresholds{}, LightRed},
		{"overdue extension", due, st(kb.Extension), time.Date(2021, 1, 5, 9, 0, 0, 0, kb.Location), Thresholds{}, LightRed},
		// an approved extension moves the date; a refused one does not
		{"approved to 10月底, in September", kb.NewDate(2020, 8, 31), kb.Status{State: kb.ExtensionApproved, Extension: "10月底"}, at(9, 5, 9), Thresholds{}, LightGreen},
		{"approved to 10月底, in November", kb.NewDate(2020, 8, 31), kb.Status{State: kb.ExtensionApproved, Extension: "10月底"}, at(11, 2, 9), Thresholds{}, LightRed},
		{"approved to 3月底, across the year", due, kb.Status{State: kb.ExtensionApproved, Extension: "3月底"}, time.Date(2021, 1, 5, 9, 0, 0, 0, kb.Location), Thresholds{}, LightGreen},
		{"approved, unreadable date", kb.NewDate(2020, 8, 31), kb.Status{State: kb.ExtensionApproved, Extension: "尽快"}, at(9, 5, 9), Thresholds{}, LightRed},
		{"refused", kb.NewDate(2020, 8, 31), kb.Status{State: kb.ExtensionRejected, Extension: "10月底"}, at(9, 5, 9), Thresholds{}, LightRed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LightOf(tt.due, tt.s, tt.now, tt.th); got != tt.want {
				t.Errorf("LightOf(%s, %q, %s) = %s, want %s", tt.due.ISO(), tt.s.State, tt.now, got, tt.want)
			}
		})
	}
}

func TestCompletion(t *testing.T) {
	now := time.Date(2020, 9, 1, 9, 0, 0, 0, kb.Location)
	var c Completion
	if _, ok := c.Rate(); ok {
		t.Errorf("empty Completion has a rate")
	}
	add := func(due *kb.Date, s kb.State) { c.Add(due, LightOf(due, kb.Status{State: s}, now, Thresholds{}), now) }
	add(kb.NewDate(2020, 6, 30), kb.Done)        // due, done
	add(kb.NewDate(2020, 8, 31), "")             // due, late
	add(kb.NewDate(2020, 9, 1), kb.InProgress)   // due today: counts as due, not late
	add(kb.NewDate(2020, 12, 31), kb.Done)       // done early: counts
	add(kb.NewDate(2020, 12, 31), kb.InProgress) // not yet due
	add(nil, "")                                 // undated
	want := Completion{Total: 6, Done: 2, Due: 4, Overdue: 1}
	if c != want {
		t.Fatalf("Completion = %+v, want %+v", c, want)
	}
	if r, ok := c.Rate(); !ok || r != 0.5 {
		t.Errorf("Rate() = %v, %v, want 0.5, true", r, ok)
	}
}
