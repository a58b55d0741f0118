package progress

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"duban/kb"
)

// TestExportApprovedExtension: key task 76 is due 8月31日 in its document;
// its 灯 and 延期后到期日 follow its status: an approved extension moves
// both, a request or a refusal moves neither, and 到期日 stays the
// document's date.
func TestExportApprovedExtension(t *testing.T) {
	sep10 := time.Date(2020, 9, 10, 9, 0, 0, 0, kb.Location)
	tests := []struct {
		name      string
		s         kb.Status
		now       time.Time
		light     string
		effective string
	}{
		{"approved, before the new date", kb.Status{State: kb.ExtensionApproved, Extension: "10月底"}, sep10, "绿灯", "2020-10-31"},
		{"approved, past the new date", kb.Status{State: kb.ExtensionApproved, Extension: "10月底"}, time.Date(2020, 11, 2, 9, 0, 0, 0, kb.Location), "红灯", "2020-10-31"},
		{"requested", kb.Status{State: kb.Extension, Extension: "10月底"}, sep10, "红灯", ""},
		{"refused", kb.Status{State: kb.ExtensionRejected, Extension: "10月底"}, sep10, "红灯", ""},
		{"in progress", kb.Status{State: kb.InProgress}, sep10, "红灯", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.s
			s.Table, s.No, s.Unit, s.At = kb.KeyTasks, 76, "住建局", time.Date(2020, 9, 3, 10, 0, 0, 0, kb.Location)
			var buf bytes.Buffer
			if err := (Export{Now: tt.now}).WriteCSV(&buf, fixtureBase(t), map[Key]kb.Status{{kb.KeyTasks, 76}: s}); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			for _, r := range rows[1:] {
				if r[0] != kb.TableTitle[kb.KeyTasks] || r[1] != "76" {
					continue
				}
				if r[col["到期日"]] != "2020-08-31" || r[col["灯"]] != tt.light || r[col["延期后到期日"]] != tt.effective {
					t.Errorf("到期日 %q, 灯 %q, 延期后到期日 %q; want 2020-08-31, %q, %q",
						r[col["到期日"]], r[col["灯"]], r[col["延期后到期日"]], tt.light, tt.effective)
				}
				return
			}
			t.Fatal("no row for key task 76")
		})
	}
}
