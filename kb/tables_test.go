package kb

import "testing"

func TestTableID(t *testing.T) {
	tests := []struct {
		kind, place string
		year        int
		want        Table
	}{
		{KindKeyTasks, "如东", 2025, "key_tasks"},
		{KindPeopleProjects, "", 2020, "people_projects"},
		{KindProgressList, "如东", 2025, "progress_2025"},
		{KindProgressList, "南通", 2019, Nantong2019},
		{KindMeasures, "海门", 2019, Measures2019},
		{KindMeasures, "", 0, "measures"},
	}
	for _, tt := range tests {
		if got := TableID(tt.kind, tt.place, tt.year); got != tt.want {
			t.Errorf("TableID(%q, %q, %d) = %q, want %q", tt.kind, tt.place, tt.year, got, tt.want)
		}
	}
}

// TestMergeRenamesTables: a second document's table with a taken id is
// renamed with its records; one document's split table stays one table.
func TestMergeRenamesTables(t *testing.T) {
	doc := func(file string, year int, nos ...int) Contents {
		var c Contents
		for _, n := range nos {
			c.Records = append(c.Records, Record{Doc: file, Table: KeyTasks, No: n})
		}
		c.Tables = []TableInfo{{ID: KeyTasks, Kind: KindKeyTasks, Doc: file, Year: year, Rows: len(nos)}}
		return c
	}
	var c Contents
	c.Merge(doc("a.txt", 2024, 1, 2))
	c.Merge(doc("a.txt", 2024, 3)) // the same table continued after a heading
	c.Merge(doc("b.txt", 2025, 1))
	c.Merge(doc("c.txt", 2025, 1))
	if len(c.Tables) != 3 {
		t.Fatalf("tables = %+v, want 3", c.Tables)
	}
	wantIDs := []Table{KeyTasks, "key_tasks_2025", "key_tasks_2"}
	for i, w := range wantIDs {
		if c.Tables[i].ID != w {
			t.Errorf("table %d id = %q, want %q", i, c.Tables[i].ID, w)
		}
	}
	if c.Tables[0].Rows != 3 {
		t.Errorf("a.txt rows = %d, want 3", c.Tables[0].Rows)
	}
	for _, r := range c.Records {
		want := map[string]Table{"a.txt": KeyTasks, "b.txt": "key_tasks_2025", "c.txt": "key_tasks_2"}[r.Doc]
		if r.Table != want {
			t.Errorf("record %s/%d table = %q, want %q", r.Doc, r.No, r.Table, want)
		}
	}
	b, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	if ti, ok := b.Table("key_tasks_2025"); !ok || ti.Doc != "b.txt" {
		t.Errorf("Table(key_tasks_2025) = %+v, %v", ti, ok)
	}
	if got := b.Tables(); len(got) != 3 || got[0].ID != KeyTasks {
		t.Errorf("Tables() = %+v", got)
	}
}

func TestExample(t *testing.T) {
	c := Contents{
		Records: []Record{
			{Table: "people_projects", No: 1, LeadUnits: []string{"民政局"}},
			{Table: KeyTasks, No: 1, LeadUnits: []string{}},
			{Table: KeyTasks, No: 2, Text: "新改建农村公路60公里。", LeadUnits: []string{"交通运输局"}, Due: NewDate(2025, 9, 30)},
			{Table: KeyTasks, No: 3, LeadUnits: []string{"交通运输局"}},
		},
		Tables: []TableInfo{
			{ID: "people_projects", Kind: KindPeopleProjects, Label: "2025年为民办实事项目", Doc: "a"},
			{ID: KeyTasks, Kind: KindKeyTasks, Label: "2025年重点工作任务", Doc: "a"},
		},
	}
	var cc Contents
	cc.Merge(c) // the registry orders the tables
	b, err := New(cc)
	if err != nil {
		t.Fatal(err)
	}
	ex, ok := b.Example()
	if !ok || ex.Table != KeyTasks || ex.No != 2 || ex.Unit != "交通运输局" || ex.Due.ISO() != "2025-09-30" {
		t.Errorf("Example() = %+v, %v", ex, ok)
	}
	if _, ok := (&Base{}).Example(); ok {
		t.Error("an empty base gave an example")
	}
}
