package ingest

import (
	"reflect"
	"strings"
	"testing"
)

func TestStripPost(t *testing.T) {
	for in, want := range map[string]string{
		"王丽（副县长）":     "王丽",
		"副县长王丽":       "王丽",
		"县委常委、副县长 王丽": "王丽",
		"常务副县长：张明华":   "张明华",
		"姜  勇":        "姜  勇",
		"沈旭东":         "沈旭东",
		"李主任":         "李主任", // a name that ends like a post is not cut to nothing
	} {
		if got := strings.TrimSpace(stripPost(in)); got != want {
			t.Errorf("stripPost(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitRoles(t *testing.T) {
	tests := []struct {
		in       string
		lead, co []string
	}{
		{"牵头单位：县住建局；配合单位：县财政局、县水务局", []string{"住建局"}, []string{"财政局", "水务局"}},
		{"牵头：县交通运输局\n配合：各乡镇（街道）", []string{"交通运输局"}, []string{"各乡镇（街道）"}},
		{"县住建局（牵头）、县财政局", []string{"住建局"}, []string{"财政局"}},
	}
	for _, tt := range tests {
		lead, co, ok := splitRoles(tt.in)
		if !ok || !reflect.DeepEqual(lead, tt.lead) || !reflect.DeepEqual(co, tt.co) {
			t.Errorf("splitRoles(%q) = %q %q %v, want %q %q", tt.in, lead, co, ok, tt.lead, tt.co)
		}
	}
	if _, _, ok := splitRoles("县住建局、县财政局"); ok {
		t.Error("a plain list read as naming roles")
	}
}

func TestRowNumber(t *testing.T) {
	for in, want := range map[string]int{"12": 12, "１２": 12, "12.": 12, "（十二）": 12, "十二": 12, "3、": 3} {
		if got, ok := rowNumber(in); !ok || got != want {
			t.Errorf("rowNumber(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "一、聚力产业强县", "合计", "备注"} {
		if _, ok := rowNumber(in); ok {
			t.Errorf("rowNumber(%q) read a number", in)
		}
	}
}

func TestUnitListSpaces(t *testing.T) {
	if got := unitList("县财政局  县住建局"); !reflect.DeepEqual(got, []string{"财政局", "住建局"}) {
		t.Errorf("unitList(space-separated) = %q", got)
	}
	if got := unitList("残  联"); !reflect.DeepEqual(got, []string{"残联"}) {
		t.Errorf("unitList(padded) = %q", got)
	}
}

// TestCountyCellWordings: a county table whose units cell names its own
// roles, whose leader cells carry posts and whose numbers are Chinese.
func TestCountyCellWordings(t *testing.T) {
	text := "某县2024年重点工作任务清单\n" +
		"\t序号\n\t主要任务\n\t责任领导\n\t责任单位\n\t完成时限\n" +
		"\t（一）\n\t建设城东污水处理厂。\n\t王丽（副县长）\n\t牵头单位：县住建局\n配合单位：县财政局\n\t2024.9.30\n" +
		"\t（二）\n\t新建养老服务中心。\n\t副县长赵红梅\n\t县民政局（牵头）、县卫健委\n\t二季度\n"
	d, err := ReadText("c.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	c := canon(extractTaskTables(d))
	if len(c.Records) != 2 {
		t.Fatalf("%d records, want 2: %+v", len(c.Records), c.Records)
	}
	want := [][]string{
		{"1", "王丽", "住建局", "财政局", "2024-09-30"},
		{"2", "赵红梅", "民政局", "卫健委", "2024-06-30"},
	}
	for i, r := range c.Records {
		got := []string{itoa(r.No), strings.Join(r.LeadLeaders, "、"), strings.Join(r.LeadUnits, "、"), strings.Join(r.CoUnits, "、"), r.Due.ISO()}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("record %d = %q, want %q", i, got, want[i])
		}
	}
}

// TestProgressTable: a table with a 进展情况 column is a progress report,
// registered as such (progress_<year>), with each row's progress.
func TestProgressTable(t *testing.T) {
	text := "某县2024年重点工作推进情况表\n" +
		"\t序号\n\t重点任务\n\t责任单位\n\t推进情况\n" +
		"\t1\n\t建设城东污水处理厂。\n\t县住建局\n\t主体完工。\n" +
		"\t2\n\t新建养老服务中心。\n\t县民政局\n\t已开工。\n"
	d, err := ReadText("p.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	c := canon(extractTaskTables(d))
	if len(c.Tables) != 1 || c.Tables[0].ID != "progress_2024" || c.Tables[0].Kind != "progress_list" {
		t.Fatalf("tables = %+v, want one progress_2024", c.Tables)
	}
	if len(c.Records) != 2 || c.Records[1].Progress != "已开工。" || c.Records[1].Table != "progress_2024" {
		t.Errorf("records = %+v", c.Records)
	}
}

// TestTwoRowHeaderText: a header of two rows in a text export (责任单位
// spanning 牵头单位 | 配合单位; 序号, 工作任务, 完成时间 merged down) is
// folded, so the rows keep their columns.
func TestTwoRowHeaderText(t *testing.T) {
	text := "某县2024年重点工作任务分解表\n" +
		"\t序号\n\t工作任务\n\t责任单位\n\t完成时间\n" +
		"\t\n\t\n\t牵头单位\n\t配合单位\n\t\n" +
		"\t1\n\t建设城东污水处理厂。\n\t县住建局\n\t县财政局\n\t9月底前\n" +
		"\t2\n\t新建养老服务中心。\n\t县民政局\n\t\n\t年底前\n"
	d, err := ReadText("h.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	c := canon(extractTaskTables(d))
	want := []string{"1 住建局 财政局 2024-09-30", "2 民政局  2024-12-31"}
	if len(c.Records) != len(want) {
		t.Fatalf("%d records, want %d: %+v", len(c.Records), len(want), c.Records)
	}
	for i, r := range c.Records {
		if got := itoa(r.No) + " " + strings.Join(r.LeadUnits, "、") + " " + strings.Join(r.CoUnits, "、") + " " + r.Due.ISO(); got != want[i] {
			t.Errorf("record %d = %q, want %q", i, got, want[i])
		}
	}
	if got := strings.Join(c.Tables[0].Columns, ","); got != "no,text,lead_units,co_units,deadline" {
		t.Errorf("columns = %s", got)
	}
}

// TestTableNoteEndsTable: a note under the last row is not part of its
// deadline cell, and a long header word still names its column.
func TestTableNoteEndsTable(t *testing.T) {
	text := "某县2024年重点工作任务分解表\n" +
		"\t序号\n\t主要目标任务及具体工作措施\n\t责任单位\n\t完成时间\n" +
		"\t1\n\t建设城东污水处理厂。\n\t县住建局\n\t9月底前\n" +
		"注：完成时间为最迟时间。\n"
	d, err := ReadText("n.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	c := canon(extractTaskTables(d))
	if len(c.Records) != 1 || c.Records[0].DeadlineText != "9月底前" || c.Records[0].Due.ISO() != "2024-09-30" {
		t.Errorf("records = %+v", c.Records)
	}
}

// TestTitlesWithoutTableWord: tables titled "2025年县政府重点工作任务" and
// "2025年民生实事项目" (no 表 or 清单) keep their own titles and kinds.
func TestTitlesWithoutTableWord(t *testing.T) {
	text := "某县人民政府关于印发2025年重点工作任务和民生实事项目的通知\n" +
		"附件1\n2025年县政府重点工作任务\n" +
		"\t序号\n\t工作任务\n\t责任单位\n\t完成时间\n\t1\n\t建设城东污水处理厂。\n\t县住建局\n\t9月底前\n" +
		"2025年民生实事项目\n" + // no 附件2 line: the title itself ends the table above
		"\t序号\n\t项目名称\n\t牵头单位\n\t完成时间\n\t1\n\t老年助餐。\n\t县民政局\n\t年底前\n"
	d, err := ReadText("t.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	c := canon(extractTaskTables(d))
	var got []string
	for _, ti := range c.Tables {
		got = append(got, string(ti.ID)+"="+ti.Title)
	}
	if want := "key_tasks=2025年县政府重点工作任务 people_projects=2025年民生实事项目"; strings.Join(got, " ") != want {
		t.Errorf("tables = %q, want %q", got, want)
	}
}

// TestKindFromHeader: tables without titles of their own under a notice
// naming both kinds take their kind from the text column's header.
func TestKindFromHeader(t *testing.T) {
	text := "某县人民政府关于印发2025年重点工作任务和民生实事项目的通知\n" +
		"\t序号\n\t工作任务\n\t责任单位\n\t完成时间\n\t1\n\t建设城东污水处理厂。\n\t县住建局\n\t9月底前\n" +
		"附件2\n" +
		"\t序号\n\t项目名称\n\t牵头单位\n\t完成时间\n\t1\n\t老年助餐。\n\t县民政局\n\t年底前\n"
	d, err := ReadText("k.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	c := canon(extractTaskTables(d))
	var got []string
	for _, ti := range c.Tables {
		got = append(got, string(ti.ID))
	}
	if strings.Join(got, " ") != "key_tasks people_projects" {
		t.Errorf("tables = %q, want key_tasks people_projects", got)
	}
}
