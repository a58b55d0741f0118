package ingest

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"duban/kb"
)

func TestPlanFixture(t *testing.T) {
	d := noticesFixture(t, "plan_sample.txt")
	if !isPlan(d) || isNotices(d) {
		t.Fatalf("isPlan = %v, isNotices = %v; want a plan", isPlan(d), isNotices(d))
	}
	c := extractPlan(d)
	const t1, t2 = "表1 某县“十三五”规划指标完成情况", "表2 某县“十四五”主要指标"
	src := func(line int, title string, row int) kb.Source {
		return kb.Source{File: "plan_sample.txt", Line: line, Title: title, Row: row}
	}
	want := []kb.Indicator{
		{Table: "表1", Category: "经济", No: 1, Name: "GDP年均增长率", Unit: "%", Base: "6.5", Target: "7", Attribute: "预期性", Source: src(10, t1, 1)},
		{Table: "表1", Category: "经济", No: 2, Name: "一般公共预算收入", Unit: "亿元", Base: "48.2", Target: "50", Attribute: "预期性", Source: src(17, t1, 2)},
		{Table: "表1", Category: "创新", No: 3, Name: "R&D经费支出占GDP比重", Unit: "%", Base: "2.6", Target: "2.5", Attribute: "约束性", Source: src(24, t1, 3)},
		{Table: "表2", Category: "经济", No: 1, Name: "地区生产总值年均增长", Unit: "%", Target: "6", Attribute: "预期性", Source: src(42, t2, 1)},
		{Table: "表2", Category: "经济", No: 2, Name: "研发经费支出占地区生产总值比重", Unit: "%", Target: "3", Attribute: "预期性", Source: src(49, t2, 2)},
	}
	if !reflect.DeepEqual(c.Indicators, want) {
		t.Errorf("indicators:\n got %+v\nwant %+v", c.Indicators, want)
	}
	wantBoxes := []kb.Box{
		{No: 1, Title: "科创提升行动", Items: []string{"高企培育行动：新增高企100家。", "载体建设行动：建成孵化器5个。"},
			Source: kb.Source{File: "plan_sample.txt", Line: 58, Title: "专栏 科创提升行动"}},
		{No: 3, Title: "民生工程", Items: []string{"教育：新建学校2所。"},
			Source: kb.Source{File: "plan_sample.txt", Line: 63, Title: "专栏 民生工程"}},
	}
	if !reflect.DeepEqual(c.Boxes, wantBoxes) {
		t.Errorf("boxes:\n got %+v\nwant %+v", c.Boxes, wantBoxes)
	}
	if len(c.Warnings) != 0 {
		t.Errorf("warnings: %v", c.Warnings)
	}
}

// TestPlanRealTables reads the same indicator table as a .docx reader gives
// it: real cells in Document.Tables, the title in the paragraph before.
func TestPlanRealTables(t *testing.T) {
	cell := func(s string) Cell { return Cell{Text: s} }
	d := &Document{
		File:  "plan.docx",
		Lines: []string{"第一章", "表2 主要指标"},
		Tables: []Table{{Name: "表格1", Line: 2, Rows: [][]Cell{
			{cell("类别"), cell("序号"), cell("指标"), cell("单位"), cell("2025年"), cell("属性")},
			{cell("经济"), cell("1"), cell("*地区生产总值增长"), cell("%"), cell("6"), cell("预期性")},
			{{Text: "经济", Merged: true}, cell("2"), cell("研发投入占比"), cell("%"), cell("3"), cell("预期性")},
			{cell("民生"), cell("x"), cell("人均寿命"), cell("岁"), cell("81"), cell("预期性")},
			{cell("民生"), cell("4")},
		}}},
	}
	c := extractPlan(d)
	var got []string
	for _, in := range c.Indicators {
		got = append(got, strings.Join([]string{in.Table, in.Category, strconv.Itoa(in.No), in.Name, in.Target, in.Source.Title}, "|"))
	}
	want := []string{"表2|经济|1|地区生产总值增长|6|表2 主要指标", "表2|经济|2|研发投入占比|3|表2 主要指标", "表2|民生|3|人均寿命|81|表2 主要指标"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("indicators = %q, want %q", got, want)
	}
	if len(c.Warnings) != 2 {
		t.Errorf("warnings = %v, want two (序号 x, a short row)", c.Warnings)
	}
}

func TestPlanSeed(t *testing.T) {
	d := noticesSeed(t, "003_")
	c := extractPlan(d)
	perTable := map[string]int{}
	for _, in := range c.Indicators {
		perTable[in.Table]++
		if in.Source.File != d.File || in.Source.Line < 1 || in.Source.Row < 1 || !strings.HasPrefix(in.Source.Title, in.Table+" ") {
			t.Errorf("indicator %s: source %+v", in.Name, in.Source)
		}
		if in.Category == "" || in.Unit == "" || in.Target == "" || (in.Attribute != "预期性" && in.Attribute != "约束性") {
			t.Errorf("indicator %+v: a field is empty", in)
		}
	}
	if perTable["表1"] != 19 || perTable["表2"] != 32 || len(c.Indicators) != 51 {
		t.Errorf("indicators per table = %v, want 表1 19, 表2 32", perTable)
	}
	if len(c.Boxes) != 15 || len(c.Warnings) != 0 {
		t.Errorf("%d boxes, want 15; warnings %v", len(c.Boxes), c.Warnings)
	}
	const t1 = "表1 海陵区“十三五”规划指标（Ⅰ级）完成情况"
	const t2 = "表2 海陵区“十四五”经济社会发展主要指标"
	src := func(line int, title string, row int) kb.Source {
		return kb.Source{File: d.File, Line: line, Title: title, Row: row}
	}
	want := map[int]kb.Indicator{
		0:  {Table: "表1", Category: "经济实力", No: 1, Name: "GDP年均增长率", Unit: "%", Base: "6.8", Target: "7-7.5", Attribute: "预期性", Source: src(21, t1, 1)},
		1:  {Table: "表1", Category: "经济实力", No: 2, Name: "一般公共预算收入年均增长率", Unit: "%", Base: "同口径1.2", Target: "同口径3", Attribute: "预期性", Source: src(28, t1, 2)},
		6:  {Table: "表1", Category: "开放创新", No: 7, Name: "R&D经费支出占GDP比重", Unit: "%", Base: "2.6", Target: "2.5", Attribute: "预期性", Source: src(63, t1, 7)},
		10: {Table: "表1", Category: "民生改善", No: 11, Name: "城镇调查失业率", Unit: "%", Base: "——", Target: "5", Attribute: "预期性", Source: src(91, t1, 11)},
		12: {Table: "表1", Category: "民生改善", No: 13, Name: "城乡养老保险覆盖率", Unit: "%", Base: "96以上", Target: "96", Attribute: "预期性", Source: src(105, t1, 13)},
		16: {Table: "表1", Category: "资源环境", No: 17, Name: "耕地保有量", Unit: "万亩", Base: "同口径13.02", Target: "13.02", Attribute: "约束性", Source: src(133, t1, 17)},
		19: {Table: "表2", Category: "经济强", No: 1, Name: "地区生产总值年均增长", Unit: "%", Target: "6.5", Attribute: "预期性", Source: src(200, t2, 1)},
		23: {Table: "表2", Category: "经济强", No: 5, Name: "研发经费支出占地区生产总值比重", Unit: "%", Target: "2.85", Attribute: "预期性", Source: src(228, t2, 5)},
		26: {Table: "表2", Category: "经济强", No: 8, Name: "规上工业企业亩均税收", Unit: "万元", Target: "25", Attribute: "预期性", Source: src(249, t2, 8)},
		30: {Table: "表2", Category: "百姓富", No: 12, Name: "城镇居民人均可支配收入年均增长", Unit: "%", Target: "高于经济增长", Attribute: "预期性", Source: src(277, t2, 12)},
		33: {Table: "表2", Category: "百姓富", No: 15, Name: "每千人口拥有执业（助理）医师数", Unit: "人", Target: "5", Attribute: "预期性", Source: src(298, t2, 15)},
		38: {Table: "表2", Category: "环境美", No: 20, Name: "单位地区生产总值能源消耗降低", Unit: "%", Target: "完成省市目标", Attribute: "约束性", Source: src(333, t2, 20)},
		46: {Table: "表2", Category: "社会文明程度高", No: 28, Name: "社会文明程度测评指数", Unit: "——", Target: "90以上", Attribute: "预期性", Source: src(389, t2, 28)},
		50: {Table: "表2", Category: "安全保障", No: 32, Name: "公众安全感", Unit: "%", Target: "98以上", Attribute: "预期性", Source: src(417, t2, 32)},
	}
	for i, w := range want {
		if i >= len(c.Indicators) {
			t.Errorf("indicator %d missing", i)
			continue
		}
		if g := c.Indicators[i]; g != w {
			t.Errorf("indicator %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	boxes := []struct {
		i, no, items, line int
		title, first       string
	}{
		{0, 1, 1, 433, "打造“科创城”", "不断丰富“科创江苏”海陵试点品牌内涵"},
		{1, 2, 2, 442, "科创能力提升行动", "高新技术企业“育苗造林”行动："},
		{11, 12, 2, 677, "养老服务提升行动", "完善养老服务设施："},
		{12, 13, 1, 683, "“八老十难”攻坚行动计划", "聚焦“八个更”"},
		{13, 14, 6, 705, "“六安”建设行动", "“家安”行动："},
		{14, 15, 4, 718, "安全生产专项整治行动", "制定1个方案：海陵区安全生产专项整治三年行动工作方案。"},
	}
	for _, w := range boxes {
		b := c.Boxes[w.i]
		if b.No != w.no || len(b.Items) != w.items || b.Source.Line != w.line || b.Title != w.title ||
			!strings.HasPrefix(b.Items[0], w.first) || b.Source.File != d.File || b.Source.Title != "专栏 "+w.title {
			t.Errorf("box %d = %d %q (%d items) at %+v, first %q; want %d %q (%d items) at line %d", w.i, b.No, b.Title, len(b.Items), b.Source, b.Items[0], w.no, w.title, w.items, w.line)
		}
	}
}
