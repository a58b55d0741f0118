package dashboard

import (
	"context"
	"testing"

	"duban/kb"
	"duban/progress"
)

// TestBuildApprovedExtension: key task 17 of the seeds (项目办) is due 8月底;
// an approval to 10月底 moves its days left, colour and timeline month from
// the day it is recorded, and Due stays the document's date. A request
// that is refused moves nothing.
func TestBuildApprovedExtension(t *testing.T) {
	b := seeds(t)
	r, ok := b.Task(kb.KeyTasks, 17)
	if !ok || r.Due.ISO() != "2020-08-31" {
		t.Fatalf("seed key task 17 due %v, want 2020-08-31", r.Due)
	}
	j := journal{}
	j.add(kb.KeyTasks, 17, kb.Status{State: kb.Extension, Extension: "10月底", Unit: "项目办", At: day(8, 20, 9)})
	j.add(kb.KeyTasks, 17, kb.Status{State: kb.ExtensionApproved, Extension: "10月底", Reviewer: "督查办", At: day(8, 25, 9)})
	refused := journal{}
	refused.add(kb.KeyTasks, 17, kb.Status{State: kb.ExtensionRejected, Extension: "10月底", Reviewer: "督查办", At: day(8, 25, 9)})
	tests := []struct {
		name     string
		j        journal
		asOf     int // day of September, 2020
		extended string
		left     int
		light    progress.Light
	}{
		{"approved, before the new date", j, 10, "2020-10-31", 51, progress.LightGreen},
		{"refused", refused, 10, "", -10, progress.LightRed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hist, err := loadHistories(context.Background(), b, tt.j.history)
			if err != nil {
				t.Fatal(err)
			}
			for _, task := range build(b, hist, day(9, tt.asOf, 23), progress.Thresholds{}) {
				if task.Table != kb.KeyTasks || task.No != 17 {
					continue
				}
				if task.Due != "2020-08-31" || task.Extended != tt.extended || task.DaysLeft == nil || *task.DaysLeft != tt.left || task.Light != tt.light {
					t.Errorf("task 17 = due %s, extended %q, left %v, light %s; want 2020-08-31, %q, %d, %s",
						task.Due, task.Extended, task.DaysLeft, task.Light, tt.extended, tt.left, tt.light)
				}
				row := exportRow(&task)
				if row[10] != tt.extended {
					t.Errorf("export 延期后到期日 = %q, want %q (%q)", row[10], tt.extended, row)
				}
				return
			}
			t.Fatal("no task 17")
		})
	}
}
