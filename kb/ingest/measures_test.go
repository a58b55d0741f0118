package ingest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"duban/kb"
	"duban/kb/names"
)

// unitsOf canonicalises unit names as written in a document, so the tests
// check which units the extractor found, not the alias table.
func unitsOf(raw ...string) []string {
	out := []string{}
	for _, u := range raw {
		out = append(out, names.Unit(u))
	}
	return out
}

func TestIsMeasuresSeeds(t *testing.T) {
	dir := genreSeedDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) == 0 {
		t.Skip("no seeds")
	}
	for _, f := range files {
		d := genreDoc(t, f)
		want := strings.HasPrefix(d.File, "000_")
		if got := isMeasures(d); got != want {
			t.Errorf("isMeasures(%s) = %v, want %v", d.File, got, want)
		}
	}
}

func TestMeasuresSeed(t *testing.T) {
	d := genreSeed(t, "000_")
	c := canon(extractMeasures(d))
	if len(c.Warnings) != 0 {
		t.Errorf("warnings on the seed: %v", warningStrings(c.Warnings))
	}
	if len(c.Records) != 85 {
		t.Fatalf("got %d records, want 85", len(c.Records))
	}
	const mainTitle = "关于决胜高水平全面建成小康社会补短板强弱项的若干措施"
	// Records per part, in document order: the 若干措施 and its 7 plans.
	wantParts := []struct {
		title string
		n     int
	}{
		{mainTitle, 20},
		{"全市服务业发展提升行动方案", 15},
		{"全市高新技术产品出口提升行动方案", 6},
		{"全市城市公共交通服务提升行动方案", 6},
		{"全市执业（助理）医师队伍建设提升行动方案", 7},
		{"全市律师人才队伍建设提升行动方案", 9},
		{"全市公共文化服务支出提升行动方案", 9},
		{"全市森林覆盖提升行动方案", 13},
	}
	k := 0
	for _, p := range wantParts {
		for row := 1; row <= p.n; row++ {
			r := c.Records[k]
			k++
			if r.No != k || r.Source.Row != row || r.Source.Title != p.title {
				t.Errorf("record %d: no %d row %d title %q; want no %d row %d title %q",
					k, r.No, r.Source.Row, r.Source.Title, k, row, p.title)
			}
			if p.title != mainTitle && r.Section != p.title {
				t.Errorf("record %d: section %q, want the plan title", k, r.Section)
			}
			if p.title == mainTitle && !strings.Contains(r.Section, "、更大力度") {
				t.Errorf("record %d: section %q, want a 一、… heading", k, r.Section)
			}
		}
	}
	for _, r := range c.Records {
		if r.Table != kb.Measures2019 || r.Doc != d.File || r.Source.File != d.File || r.Text == "" {
			t.Errorf("measure %d: table %q doc %q source %+v text %.10q", r.No, r.Table, r.Doc, r.Source, r.Text)
		}
		if len(r.LeadUnits) == 0 {
			t.Errorf("measure %d has no lead unit", r.No)
		}
		if strings.Contains(r.Text, "牵头负责") || strings.Contains(r.Text, "分工负责）") {
			t.Errorf("measure %d: clause left in text %q", r.No, r.Text)
		}
		line := strings.TrimSpace(d.Line(r.Source.Line))
		if !strings.Contains(line, r.Text[:len(r.Text)/2]) {
			t.Errorf("measure %d: line %d does not hold its text", r.No, r.Source.Line)
		}
		if (r.Due == nil) != (len(r.Targets) == 0) {
			t.Errorf("measure %d: due %v with %d targets", r.No, r.Due, len(r.Targets))
		}
	}

	none := []string{}
	tests := []struct {
		no           int
		line         int
		section      string // prefix
		text         string // prefix
		lead, co     []string
		impl         []string
		due          string
		deadlineText string
		targetYears  []int
	}{
		{1, 18, "一、更大力度实施兜底保障", "深入开展精准脱贫。",
			unitsOf("市扶贫办"), unitsOf("市教育体育局", "市住建局", "市卫健委", "市民政局", "市医保局"), nil,
			"2019-12-31", "今年底", []int{2019}},
		{2, 20, "一、", "兜牢困难群众基本生活底线。", unitsOf("市民政局"), none, nil, "", "", nil},
		// No unit leads: both units 按职责分工负责 lead jointly.
		{3, 22, "一、", "全力改善农民住房条件。", unitsOf("市住建局", "市自然资源局"), none, []string{"各区镇"},
			"2019-12-31", "今年底", []int{2019}},
		{6, 30, "二、更大力度提高公共服务能力和水平", "持续推进养老服务体系建设。", unitsOf("市民政局", "市人社局"), none, nil,
			"2020-12-31", "到2020年", []int{2020, 2019, 2020}},
		{8, 34, "二、", "优化城乡公共交通发展。", unitsOf("市交通运输局"), none, nil,
			"2020-12-31", "到2020年", []int{2020, 2019, 2020}},
		{11, 41, "三、更大力度保护绿色生态环境", "优化农村人居环境。",
			unitsOf("市农业农村局", "市自然资源局", "市城管局", "市住建局", "市卫健委", "市水利局", "海门生态环境局"), none, []string{"各区镇"},
			"2020-12-31", "到2020年底", []int{2019, 2020}},
		{18, 60, "六、", "强化资金投入保障。", unitsOf("市财政局", "市地方金融监管局"), none, nil,
			"2020-12-31", "2020年", []int{2019, 2020}},
		{20, 64, "六、更大力度提升组织保障能力", "持续加强基层组织建设。", unitsOf("市委办公室", "市委组织部", "市民政局"), none, nil, "", "", nil},
		{21, 84, "全市服务业发展提升行动方案", "发挥统领型政策作用。", unitsOf("市发改委"),
			unitsOf("市科技局", "市民政局", "市人社局", "市交通运输局", "市商务局", "市文化广电和旅游局", "市卫健委", "市统计局", "市地方金融监管局", "市邮管局"),
			[]string{"各区镇"}, "", "", nil},
		{27, 100, "全市服务业", "加快发展新兴服务业。", unitsOf("市发改委", "市教育体育局", "市科技局", "市商务局", "市文化广电和旅游局"), none, []string{"各区镇"},
			"2020-12-31", "2020年", []int{2019, 2020, 2019, 2020, 2019, 2020, 2020, 2019, 2020}},
		{34, 114, "全市服务业", "落实调度督导，提升统计水平。", unitsOf("市发改委", "市统计局"),
			unitsOf("市教育体育局", "市科技局", "市民政局", "市人社局", "市住建局", "市交通运输局", "市水利局", "市农业农村局", "市商务局",
				"市文化广电和旅游局", "市卫健委", "市地方金融监管局", "市邮管局", "海门生态环境局", "市税务局"), nil, "", "", nil},
		{37, 134, "全市高新技术产品出口提升行动方案", "加大招商引资力度。", unitsOf("市商务局"), unitsOf("市投资服务中心"), []string{"项目所在区镇"}, "", "", nil},
		{42, 160, "全市城市公共交通服务提升行动方案", "以城乡公交一体化", unitsOf("市交通运输局", "市财政局"), none, nil,
			"2020-12-31", "2020年", []int{2019, 2020}},
		{48, 189, "全市执业（助理）医师队伍建设提升行动方案", "加强医疗机构建设。", unitsOf("市卫健委"),
			unitsOf("市财政局", "市政府投资项目工程建设中心", "市行政审批局", "市自然资源局", "市住建局"), nil, "", "", nil},
		// 按照责任分工落实 with no lead: joint leads, not implementers.
		{52, 198, "全市执业", "加强组织领导。", unitsOf("市卫健委", "市委编办", "市人社局", "市财政局"), none, nil, "", "", nil},
		{55, 218, "全市律师人才队伍建设提升行动方案", "积极引进律师行业优秀人才。", unitsOf("市司法局"), unitsOf("市财政局"), nil, "", "", nil},
		{64, 254, "全市公共文化服务支出提升行动方案", "全力推进市文化中心项目建设。",
			unitsOf("市文化广电和旅游局", "市政府投资项目工程建设中心", "市城发集团", "市财政局"), none, nil,
			"2021-12-31", "2021年", []int{2019, 2021, 2019, 2021}},
		{68, 264, "全市公共文化", "编制2020年预算时", unitsOf("市财政局"), none, []string{"各区镇"}, "2020-12-31", "2020年", []int{2020}},
		{74, 294, "全市森林覆盖提升行动方案", "鼓励发展适度规模果树", unitsOf("市农业农村局"), none, nil,
			"2020-12-31", "2019年冬—2020年冬", []int{2020}},
		{79, 302, "全市森林", "加强林木管护，控制森林资源消耗。", unitsOf("市自然资源局"), none, []string{"各区镇"}, "", "", nil},
		{85, 316, "全市森林", "严格督查考核。", unitsOf("市纪委监委", "市自然资源局", "市审计局", "市委大督查办"), none, nil, "", "", nil},
	}
	for _, tt := range tests {
		r := c.Records[tt.no-1]
		if r.No != tt.no || r.Source.Line != tt.line {
			t.Errorf("measure %d: no %d line %d, want line %d", tt.no, r.No, r.Source.Line, tt.line)
		}
		if !strings.HasPrefix(r.Section, tt.section) || !strings.HasPrefix(r.Text, tt.text) {
			t.Errorf("measure %d: section %q text %.20q…, want prefixes %q, %q", tt.no, r.Section, r.Text, tt.section, tt.text)
		}
		if !reflect.DeepEqual(r.LeadUnits, tt.lead) || !reflect.DeepEqual(r.CoUnits, tt.co) || !reflect.DeepEqual(r.Implementers, tt.impl) {
			t.Errorf("measure %d: lead %q co %q impl %q\nwant lead %q co %q impl %q", tt.no, r.LeadUnits, r.CoUnits, r.Implementers, tt.lead, tt.co, tt.impl)
		}
		if r.Due.ISO() != tt.due || r.DeadlineText != tt.deadlineText {
			t.Errorf("measure %d: due %q %q, want %q %q", tt.no, r.Due.ISO(), r.DeadlineText, tt.due, tt.deadlineText)
		}
		var years []int
		for _, tg := range r.Targets {
			years = append(years, tg.Year)
			if tg.Text == "" {
				t.Errorf("measure %d: empty target", tt.no)
			}
		}
		if !reflect.DeepEqual(years, tt.targetYears) {
			t.Errorf("measure %d: target years %v, want %v (%+v)", tt.no, years, tt.targetYears, r.Targets)
		}
	}
}

func TestMeasuresFixture(t *testing.T) {
	d := genreDoc(t, filepath.Join("testdata", "measures_basic.txt"))
	if !isMeasures(d) {
		t.Fatal("isMeasures(fixture) = false")
	}
	c := canon(extractMeasures(d))
	const main, plan = "关于加快补齐农村短板的若干措施", "全市道路畅通提升行动方案"
	type rec struct {
		No, Line, Row  int
		Title, Section string
		Text           string
		Lead, Co, Impl []string
		Due, DLText    string
		Targets        []kb.Target
	}
	none := []string{}
	want := []rec{
		{1, 8, 1, main, "", "改善农村道路。今年底前完成农村公路改造30公里；到2022年底，实现村村通公交。",
			unitsOf("市交通运输局"), unitsOf("市财政局", "市住建局"), []string{"各区镇"}, "2022-12-31", "到2022年底",
			[]kb.Target{{Year: 2021, Text: "今年底前完成农村公路改造30公里"}, {Year: 2022, Text: "到2022年底，实现村村通公交"}}},
		{2, 10, 2, main, "", "提升供水保障。加快管网改造，减少漏损。", unitsOf("市水利局", "市住建局"), none, nil, "", "", nil},
		{3, 14, 3, main, "一、强化生态保护", "推进河道整治。编制2022年预算时足额安排资金。", unitsOf("市水利局"), unitsOf("市财政局"), nil, "", "", nil},
		{4, 16, 4, main, "一、强化生态保护", "完善垃圾收运体系。建设镇级转运站。", unitsOf("市城管局"), none, []string{"各区镇"}, "", "", nil},
		{5, 19, 5, main, "一、强化生态保护", "加强宣传引导。", none, none, nil, "", "", nil},
		{6, 32, 1, plan, plan, "实施县道改造。2022年完成县道改造12公里。", unitsOf("市交通运输局"), none, nil, "2022-12-31", "2022年",
			[]kb.Target{{Year: 2022, Text: "2022年完成县道改造12公里"}}},
		{7, 34, 2, plan, plan, "实施桥梁加固。", unitsOf("市交通运输局", "市财政局"), none, nil, "", "", nil},
		{8, 36, 3, plan, plan, "强化资金保障。", unitsOf("市财政局"), none, nil, "", "", nil},
	}
	var got []rec
	for _, r := range c.Records {
		got = append(got, rec{r.No, r.Source.Line, r.Source.Row, r.Source.Title, r.Section, r.Text,
			r.LeadUnits, r.CoUnits, r.Implementers, r.Due.ISO(), r.DeadlineText, r.Targets})
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	wantWarn := []string{
		"measures_basic.txt:16: item （五） follows （三）",
		"measures_basic.txt:19: measure 5 has no responsibility clause",
		"measures_basic.txt:34: item 3. follows 1.",
	}
	if gw := warningStrings(c.Warnings); !reflect.DeepEqual(gw, wantWarn) {
		t.Errorf("warnings:\n got %q\nwant %q", gw, wantWarn)
	}
}

func TestParseClause(t *testing.T) {
	none := []string{}
	tests := []struct {
		clause         string
		lead, co, impl []string
	}{
		{"市扶贫办牵头负责，市教育体育局、市住建局等按职责分工负责", unitsOf("市扶贫办"), unitsOf("市教育体育局", "市住建局"), nil},
		{"市交通运输局牵头负责", unitsOf("市交通运输局"), none, nil},
		{"市住建局、市自然资源局按职责分工负责，各区镇落实", unitsOf("市住建局", "市自然资源局"), none, []string{"各区镇"}},
		{"市卫健委、市医保局按照职责分工负责", unitsOf("市卫健委", "市医保局"), none, nil},
		{"市司法局牵头负责、市财政局配合", unitsOf("市司法局"), unitsOf("市财政局"), nil},
		{"市商务局牵头负责，市投资服务中心按职责分工负责、项目所在区镇落实", unitsOf("市商务局"), unitsOf("市投资服务中心"), []string{"项目所在区镇"}},
		{"市自然资源局牵头，各区镇落实", unitsOf("市自然资源局"), none, []string{"各区镇"}},
		{"市卫健委、市委编办按照责任分工落实", unitsOf("市卫健委", "市委编办"), none, nil},
		{"市发改委、市统计局牵头负责，市科技局按职责分工负责", unitsOf("市发改委", "市统计局"), unitsOf("市科技局"), nil},
		{"市财政局牵头负责，市财政局配合", unitsOf("市财政局"), none, nil}, // named twice: the lead role wins
		// issue 14 item 13: X is the lead in "X牵头负责、Y配合" and "X牵头负责，Y按照职责分工负责"
		{"市司法局牵头负责、市财政局配合", unitsOf("市司法局"), unitsOf("市财政局"), nil},
		{"县卫健委牵头负责，县财政局、县委编办按照职责分工负责", unitsOf("县卫健委"), unitsOf("县财政局", "县委编办"), nil},
		{"由市城管局负责", unitsOf("市城管局"), none, nil},
		{"市  民政局", unitsOf("市民政局"), none, nil}, // no role word
		{"牵头负责", none, none, nil},
		{"", none, none, nil},
	}
	for _, tt := range tests {
		r := parseClause(tt.clause)
		// The clause keeps units as written; the short names are the knowledge base's.
		r.lead, r.co, r.impl = shortNames(r.lead), shortNames(r.co), shortNames(r.impl)
		if !reflect.DeepEqual(r.lead, tt.lead) || !reflect.DeepEqual(r.co, tt.co) || !reflect.DeepEqual(r.impl, tt.impl) {
			t.Errorf("parseClause(%q) = %q %q %q, want %q %q %q", tt.clause, r.lead, r.co, r.impl, tt.lead, tt.co, tt.impl)
		}
	}
}

func TestTrailingClause(t *testing.T) {
	tests := []struct {
		in, text, clause string
		ok               bool
	}{
		{"做好工作。（市民政局牵头负责）", "做好工作。", "市民政局牵头负责", true},
		{"做好工作。（市民政局牵头负责）。", "做好工作。", "市民政局牵头负责", true},
		{"做好工作。(市民政局牵头负责)", "做好工作。", "市民政局牵头负责", true},
		{"做好工作。（市农业农村局（乡村振兴局）牵头负责）", "做好工作。", "市农业农村局（乡村振兴局）牵头负责", true},
		{"落实《行动计划（2019-2021）》", "落实《行动计划（2019-2021）》", "", false},
		{"做好工作。（市民政局牵头负责", "做好工作。（市民政局牵头负责", "", false},
		{"（一）））", "（一）））", "", false},
		{"（三）", "（三）", "", false},
		{"（)", "（)", "", false},
		{"做好工作。（市民政局牵头负责)", "做好工作。", "市民政局牵头负责", true},
		{"", "", "", false},
	}
	for _, tt := range tests {
		text, clause, ok := trailingClause(tt.in)
		if text != tt.text || clause != tt.clause || ok != tt.ok {
			t.Errorf("trailingClause(%q) = %q, %q, %v; want %q, %q, %v", tt.in, text, clause, ok, tt.text, tt.clause, tt.ok)
		}
	}
}

func TestMeasTargets(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []kb.Target
	}{
		{"year end", "加快建设。到2020年底全市高新技术企业超260家。", []kb.Target{{Year: 2020, Text: "到2020年底全市高新技术企业超260家"}}},
		{"this year", "今年底确保开工；到2020年，实现全覆盖。", []kb.Target{{Year: 2019, Text: "今年底确保开工"}, {Year: 2020, Text: "到2020年，实现全覆盖"}}},
		{"after 确保", "加大力度，确保今年新增信贷不低于100亿元。", []kb.Target{{Year: 2019, Text: "今年新增信贷不低于100亿元"}}},
		{"two in a sentence", "确保今年底前地下室完工，2021年竣工。", []kb.Target{{Year: 2019, Text: "今年底前地下室完工"}, {Year: 2021, Text: "2021年竣工"}}},
		{"season range", "2019年冬—2020年冬新增造林1000亩。", []kb.Target{{Year: 2020, Text: "2019年冬—2020年冬新增造林1000亩"}}},
		{"year range", "2019—2020年，力争培育示范村1—2家。", []kb.Target{{Year: 2020, Text: "2019—2020年，力争培育示范村1—2家"}}},
		{"second half", "在今年初新增3辆的基础上，下半年再购置58辆。", []kb.Target{{Year: 2019, Text: "下半年再购置58辆"}}},
		{"next year", "明年底前完成验收。", []kb.Target{{Year: 2020, Text: "明年底前完成验收"}}},
		{"budget is no target", "2020年预算安排时，调整科目。编制2020年预算时落实指标。", nil},
		{"document year is no target", "做好国家2019年药品目录落地执行工作。", nil},
		{"plan in title", "落实《三年行动计划（2019-2021）》。", nil},
		{"past year", "2018年，全市完成580亿元。", []kb.Target{{Year: 2018, Text: "2018年，全市完成580亿元"}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := measTargets(tt.text, 2019); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("measTargets(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
}

func TestMeasNumeral(t *testing.T) {
	for n := 1; n < 100; n++ {
		if got := measNumeral(measChinese(n)); got != n {
			t.Errorf("measNumeral(measChinese(%d) = %q) = %d", n, measChinese(n), got)
		}
	}
	for _, s := range []string{"", "零", "十十", "甲"} {
		_ = measNumeral(s) // must not panic
	}
}

// TestMeasuresOddInputs feeds malformed documents: nothing may panic.
func TestMeasuresOddInputs(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		records  int
		warnings int // including the missing date line
	}{
		{"empty", "", 0, 1},
		{"only headings", "若干措施\n一、总则\n二、分则\n全市某某行动方案\n三、推进措施\n", 0, 1},
		{"heading item at the end", "（一）加快项目建设\n", 1, 2},
		{"unterminated clause", "（一）做某事。（市财政局牵头负责\n", 1, 2},
		{"unterminated clause joins the next line", "（一）做某事。\n（市财政局牵头负责\n续写。\n", 1, 2},
		{"numbers out of order", "（三）甲。（市财政局牵头负责）\n（一）乙。（市财政局牵头负责）\n（二）丙。（市财政局牵头负责）\n", 3, 3},
		{"sub-items without a parent", "2.甲。（市财政局牵头负责）\n1.乙。（市财政局牵头负责）\n", 2, 3},
		{"role without units", "（一）甲。（牵头负责）\n", 1, 2},
		{"parentheses only", "（）\n（（（）\n（一）））\n", 1, 2},
		{"dated", "2019年10月24日\n（一）甲。到2020年底完成。（市财政局牵头负责）\n", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := textDoc(t, tt.text)
			_ = isMeasures(d)
			c := canon(extractMeasures(d))
			if len(c.Records) != tt.records || len(c.Warnings) != tt.warnings {
				t.Errorf("got %d records, %d warnings %q; want %d, %d",
					len(c.Records), len(c.Warnings), warningStrings(c.Warnings), tt.records, tt.warnings)
			}
		})
	}
}

func FuzzMeasures(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "measures_basic.txt")); err == nil {
		f.Add(string(b))
	}
	f.Add("（一）甲。今年底完成；到2020年底见效。（市财政局牵头负责，市住建局按职责分工负责，各区镇落实）\n1.乙。（丙）\n")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ReadText("fuzz.txt", []byte(s))
		if err != nil {
			return
		}
		_ = isMeasures(d)
		c := canon(extractMeasures(d))
		for i, r := range c.Records {
			if r.No != i+1 {
				t.Fatalf("record %d numbered %d", i+1, r.No)
			}
			if r.Due != nil && len(r.Targets) == 0 {
				t.Fatalf("record %d: due without targets", r.No)
			}
		}
	})
}
