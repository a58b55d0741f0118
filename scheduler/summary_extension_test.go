package scheduler

import (
	"strings"
	"testing"
	"time"

	"duban/kb"
)

// TestSummaryExtension: 王五's task (key task 3, due 8月底) with an approved
// extension to 10月底 is not overdue in his weekly summary before the new
// date, and is after it; the line shows both dates.
func TestSummaryExtension(t *testing.T) {
	st := &fakeStatus{}
	st.set(kb.KeyTasks, 3, kb.Status{State: kb.ExtensionApproved, Extension: "10月底", Reviewer: "督查办", At: time.Date(2020, 8, 20, 10, 0, 0, 0, kb.Location)})
	cfg := fixtureConfig()
	cfg.Status = st.lookup
	s, err := New(cfg, fixtureBase(t), &fakePusher{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		now  time.Time
		want []string
		not  []string
	}{
		{time.Date(2020, 9, 4, 17, 0, 0, 0, kb.Location), []string{"【已同意延期至10月底】重点工作第3项", "（原定8月31日，同意延期至10月31日）"}, []string{"逾期"}},
		{time.Date(2020, 11, 6, 17, 0, 0, 0, kb.Location), []string{"【已同意延期至10月底·逾期6天】重点工作第3项", "其中逾期未完成1项"}, nil},
	}
	for _, tt := range tests {
		text := s.Summary("王五", tt.now).Text()
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: summary lacks %q:\n%s", tt.now.Format(time.DateOnly), w, text)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(text, w) {
				t.Errorf("%s: summary has %q:\n%s", tt.now.Format(time.DateOnly), w, text)
			}
		}
	}
}
