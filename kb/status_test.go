package kb

import (
	"testing"
	"time"
)

func TestStatusLabelByline(t *testing.T) {
	at := time.Date(2020, 9, 2, 20, 0, 0, 0, time.UTC) // 9月3日 04:00 in Shanghai
	tests := []struct {
		name          string
		s             Status
		label, byline string
		finished      bool
	}{
		{"done", Status{State: Done, Unit: "住建局", At: at}, "已完成", "住建局 9月3日", true},
		{"extension", Status{State: Extension, Extension: "10月底", Unit: "交通局", At: at}, "申请延期至10月底", "交通局 9月3日", false},
		{"extension without date", Status{State: Extension}, "申请延期", "", false},
		{"no unit", Status{State: InProgress, At: at}, "推进中", "9月3日", false},
		{"no time", Status{State: NotStarted, Unit: "各区镇"}, "未开始", "各区镇", false},
		// Review: a claim stops the unit's reminders; a return resumes them.
		{"claim under review", Status{State: Claimed, Unit: "住建局", At: at}, "待审核", "住建局 9月3日", true},
		{"closed by a reviewer", Status{State: Closed, Unit: "住建局", Reviewer: "督查办", At: at}, "已办结", "督查办 9月3日", true},
		{"returned", Status{State: Returned, Unit: "住建局", Reviewer: "督查办", At: at}, "已退回", "督查办 9月3日", false},
		{"extension approved", Status{State: ExtensionApproved, Extension: "10月底", Reviewer: "督查办"}, "已同意延期至10月底", "督查办", false},
		{"extension rejected", Status{State: ExtensionRejected, Reviewer: "督查办"}, "延期未获同意", "督查办", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Label(); got != tt.label {
				t.Errorf("Label() = %q, want %q", got, tt.label)
			}
			if got := tt.s.Byline(); got != tt.byline {
				t.Errorf("Byline() = %q, want %q", got, tt.byline)
			}
			if got := tt.s.Finished(); got != tt.finished {
				t.Errorf("Finished() = %v, want %v", got, tt.finished)
			}
		})
	}
}
