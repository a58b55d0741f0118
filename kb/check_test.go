package kb

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	rec := func(table Table, no int, lead []string, deadline string, unparsed bool) Record {
		return Record{Doc: "a.txt", Table: table, No: no, LeadUnits: lead, CoUnits: []string{}, DeadlineText: deadline, Unparsed: unparsed,
			Source: Source{File: "a.txt", Line: 10 + no, Row: no}}
	}
	c := Contents{
		Records: []Record{
			rec("key_tasks", 1, []string{"住房和城乡建设局"}, "尽快", true),
			rec("key_tasks", 2, nil, "12月底前", false),
			rec("key_tasks", 3, []string{"政协办"}, "", false),
			rec("key_tasks", 4, []string{"政协办公室"}, "", false),
			rec("key_tasks", 5, []string{"住建局"}, "", false),
		},
		Tables: []TableInfo{{ID: "key_tasks", Kind: KindKeyTasks, Title: "某县2025年重点工作任务分解表", Year: 2025, YearFrom: "title",
			Doc: "a.txt", Line: 3, Rows: 5, Columns: []string{"no", "text", "lead_units"}, Merged: []string{"lead_units"}}},
		Docs: []Doc{{File: "a.txt", Title: "某县通知", Lines: 40, Genres: []string{"task tables: 1 task table header(s)", "not measures: 0 responsibility clauses"}}},
	}
	b, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	text := b.Check().Text()
	for _, want := range []string{
		"a.txt (某县通知, 40 lines)",
		"read as task tables: 1 task table header(s)",
		"    not measures: 0 responsibility clauses",
		"key_tasks: 某县2025年重点工作任务分解表, 2025 (from title), 5 records, a.txt:3",
		"columns: no | text | lead_units",
		"merged columns (empty cell = the value above): lead_units",
		`a.txt:11: row 1: key_tasks 1: deadline "尽快" not dated`,
		"a.txt:12: row 2: key_tasks 2 has no lead unit",
		"政协办 ~ 政协办公室",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Check().Text() lacks %q:\n%s", want, text)
		}
	}
	// 住建局 and 住房和城乡建设局 are one unit, shown as the documents'
	// first-seen spelling on a tie; not a look-alike pair.
	if strings.Contains(text, "住建局 ~") || strings.Contains(text, "~ 住建局") {
		t.Errorf("a merged unit listed as a look-alike:\n%s", text)
	}
}

func TestOneApart(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"政协办公室", "政协办公厅", true},
		{"住房建设中心", "住房建设服务中心", false},
		{"农业农村局", "农业农林局", true},
		{"交通局", "交通厅", false}, // too short to tell
		{"城乡供水公司", "城乡供水公司", false},
	} {
		if got := oneApart(tt.a, tt.b); got != tt.want && tt.a != tt.b {
			t.Errorf("oneApart(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
