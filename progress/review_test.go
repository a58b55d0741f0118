package progress

import (
	"slices"
	"testing"

	"duban/kb"
)

func TestParseReview(t *testing.T) {
	tests := []struct {
		text     string
		ok       bool
		decision kb.State
		nos      []int
		table    kb.Table
		reason   string
	}{
		{"办结76号", true, kb.Closed, []int{76}, kb.KeyTasks, ""},
		{"办结 76号", true, kb.Closed, []int{76}, kb.KeyTasks, ""},
		{"确认办结重点工作76号", true, kb.Closed, []int{76}, kb.KeyTasks, ""},
		{"通过实事12号", true, kb.Closed, []int{12}, kb.PeopleProjects, ""},
		{"退回 76号 材料不全", true, kb.Returned, []int{76}, kb.KeyTasks, "材料不全"},
		{"退回76号，原因：未见验收报告", true, kb.Returned, []int{76}, kb.KeyTasks, "未见验收报告"},
		{"同意延期76号", true, kb.ExtensionApproved, []int{76}, kb.KeyTasks, ""},
		{"不同意延期76号 理由不充分", true, kb.ExtensionRejected, []int{76}, kb.KeyTasks, "理由不充分"},
		{"驳回延期76号、78号", true, kb.ExtensionRejected, []int{76, 78}, kb.KeyTasks, ""},
		// Not decisions: questions, reports, words without a task.
		{"退回76号了吗", false, "", nil, "", ""},
		{"76号已办结", false, "", nil, "", ""},
		{"通过哪些措施推进", false, "", nil, "", ""},
		{"办结", false, "", nil, "", ""},
	}
	for _, tt := range tests {
		r, ok := ParseReview(tt.text)
		if ok != tt.ok {
			t.Errorf("ParseReview(%q) ok = %v, want %v (%+v)", tt.text, ok, tt.ok, r)
			continue
		}
		if !ok {
			continue
		}
		if r.Decision != tt.decision || !slices.Equal(r.Nos, tt.nos) || r.Table != tt.table || r.Reason != tt.reason {
			t.Errorf("ParseReview(%q) = %+v, want %s %v %s %q", tt.text, r, tt.decision, tt.nos, tt.table, tt.reason)
		}
	}
}

// TestReviewDecides: each decision applies to the one state it decides.
func TestReviewDecides(t *testing.T) {
	for _, d := range []kb.State{kb.Closed, kb.Returned, kb.ExtensionApproved, kb.ExtensionRejected} {
		n := 0
		for _, s := range kb.States {
			if (Review{Decision: d}).Decides(s) {
				n++
				if !(s == kb.Claimed || s == kb.Extension) {
					t.Errorf("%s decides %s, want only pending states", d, s)
				}
			}
		}
		if n != 1 {
			t.Errorf("%s decides %d states, want 1", d, n)
		}
	}
}
