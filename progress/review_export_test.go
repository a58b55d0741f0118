package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"duban/kb"
)

// TestExportReviewStates: the review steps in force show in the export
// with the reviewer's reason.
func TestExportReviewStates(t *testing.T) {
	at := time.Date(2020, 9, 4, 9, 0, 0, 0, kb.Location)
	st := map[Key]kb.Status{
		{kb.KeyTasks, 76}:       {Table: kb.KeyTasks, No: 76, State: kb.Returned, Note: "缺验收材料", Unit: "住建局", User: "李审", Reviewer: "督查办", At: at},
		{kb.PeopleProjects, 12}: {Table: kb.PeopleProjects, No: 12, State: kb.Claimed, Unit: "教体局", User: "王五", At: at},
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, fixtureBase(t), st); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, w := range []string{"已退回,缺验收材料,,住建局,李审", "待审核,,,教体局,王五"} {
		if !strings.Contains(out, w) {
			t.Errorf("export lacks %q", w)
		}
	}
}
