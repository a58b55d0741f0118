package ingest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"duban/kb"
)

// noticesFixture reads testdata/name as a text export.
func noticesFixture(t *testing.T, name string) *Document {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := ReadText(name, b)
	if err != nil {
		t.Fatalf("ReadText(%s): %v", name, err)
	}
	return d
}

func TestSplitNotices(t *testing.T) {
	d := noticesFixture(t, "notices_sample.txt")
	got := splitNotices(d)
	want := []struct{ title, topic string }{
		{"区政府关于建立和完善河道保洁联席会议制度的通知", "河道保洁联席会议"},
		{"关于区政府领导同志工作分工的通知", "区政府领导同志工作分工"},
		{"区政府办公室关于印发《区城停车整治工作方案》的通知", "区城停车整治工作方案"},
	}
	if len(got) != len(want) {
		t.Fatalf("splitNotices: %d notices, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].title != w.title || got[i].topic != w.topic {
			t.Errorf("notice %d = %q / %q, want %q / %q", i, got[i].title, got[i].topic, w.title, w.topic)
		}
	}
	if got[0].line != 3 {
		t.Errorf("first notice starts at line %d, want 3", got[0].line)
	}
}

func TestNoticeLeaders(t *testing.T) {
	c := canon(extractNotices(noticesFixture(t, "notices_sample.txt")))
	title := "关于区政府领导同志工作分工的通知"
	want := []kb.Leader{
		{Name: "李明", Post: "区委副书记，区政府区长", Areas: []string{"区政府全面工作"},
			Oversees: []string{"审计局"}, Liaises: []string{"东风镇"},
			Source: kb.Source{File: "notices_sample.txt", Line: 37, Title: title}},
		{Name: "孙亮", Post: "挂职", Areas: []string{"科技工作"},
			Assists: []string{"负责招商引资工作", "联系西湖镇"},
			Source:  kb.Source{File: "notices_sample.txt", Line: 41, Title: title}},
		{Name: "周大为", Post: "副区长", Areas: []string{"交通运输", "住房和城乡建设", "“河长制”工程"},
			Oversees: []string{"交通局", "住建局", "人防办", "地震局", "区域治理现代化指挥中心"},
			Liaises:  []string{"人武部", "南山镇", "北河镇"},
			Assists:  []string{"分管财政局"},
			Source:   kb.Source{File: "notices_sample.txt", Line: 43, Title: title}},
	}
	if len(c.Leaders) != len(want) {
		t.Fatalf("%d leaders, want %d: %+v", len(c.Leaders), len(want), c.Leaders)
	}
	for i, w := range want {
		g := c.Leaders[i]
		g.Text = ""
		if !reflect.DeepEqual(g, w) {
			t.Errorf("leader %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	if !strings.HasPrefix(c.Leaders[2].Text, "负责交通运输") || !strings.HasSuffix(c.Leaders[2].Text, "联系南山镇、北河镇。") {
		t.Errorf("leader text = %q, want the whole paragraph", c.Leaders[2].Text)
	}
}

func TestNoticeMembers(t *testing.T) {
	c := canon(extractNotices(noticesFixture(t, "notices_sample.txt")))
	title := "区政府关于建立和完善河道保洁联席会议制度的通知"
	src := func(line int) kb.Source { return kb.Source{File: "notices_sample.txt", Line: line, Title: title} }
	want := []kb.Member{
		{Body: "河道保洁联席会议", Role: "召集人", Name: "李明", Post: "区委副书记，区政府区长", Source: src(15)},
		{Body: "河道保洁联席会议", Role: "成员", Name: "王刚", Post: "区水利局局长", Source: src(17)},
		{Body: "河道保洁联席会议", Role: "成员", Name: "赵小红", Post: "区财政局副局长，区国资办主任", Source: src(19)},
	}
	if !reflect.DeepEqual(c.Members, want) {
		t.Errorf("members:\n got %+v\nwant %+v", c.Members, want)
	}
}

func TestNoticeDuties(t *testing.T) {
	c := canon(extractNotices(noticesFixture(t, "notices_sample.txt")))
	type duty struct{ unit, role, text, topic string }
	want := []struct {
		line int
		duty
	}{
		{25, duty{"水利局", "成员单位", "负责联席会议办公室工作。", "河道保洁联席会议"}},
		{27, duty{"交通局", "配合", "配合做好沿路河道保洁。", "河道保洁联席会议"}},
		{27, duty{"住建局", "配合", "配合做好沿路河道保洁。", "河道保洁联席会议"}},
		{61, duty{"城管局", "牵头", "负责牵头停车整治工作；组织数据排摸。", "区城停车整治工作方案"}},
		{63, duty{"公安局", "配合", "配合城管局做好道路泊位施划。", "区城停车整治工作方案"}},
		{65, duty{"财政局", "责任单位", "做好资金保障。", "区城停车整治工作方案"}},
		{65, duty{"南山镇", "责任单位", "做好资金保障。", "区城停车整治工作方案"}},
		{75, duty{"宣传部", "责任单位", "1.加强宣传引导。开展停车宣传。", "区城停车整治工作方案"}},
		{75, duty{"文广旅局", "责任单位", "1.加强宣传引导。开展停车宣传。", "区城停车整治工作方案"}},
		{77, duty{"政府办", "牵头", "2.强化考核。", "区城停车整治工作方案"}},
		{77, duty{"各镇", "配合", "2.强化考核。", "区城停车整治工作方案"}},
		{77, duty{"财政局", "责任单位", "纳入年度考核。", "区城停车整治工作方案"}},
	}
	if len(c.Duties) != len(want) {
		t.Fatalf("%d duties, want %d: %+v", len(c.Duties), len(want), c.Duties)
	}
	for i, w := range want {
		g := c.Duties[i]
		if (duty{g.Unit, g.Role, g.Text, g.Topic}) != w.duty || g.Source.Line != w.line || g.Source.File != "notices_sample.txt" {
			t.Errorf("duty %d = %+v, want %+v at line %d", i, g, w.duty, w.line)
		}
	}
}

func TestNoticePhases(t *testing.T) {
	c := canon(extractNotices(noticesFixture(t, "notices_sample.txt")))
	want := []struct {
		name, from, to, text string
		line                 int
	}{
		{"动员部署阶段", "2023年3月", "4月", "制定方案。", 69},
		{"集中整治阶段", "2023年5月", "2023年9月", "开展整治。", 69},
		{"长效管理阶段", "2023年10月", "", "形成长效机制。", 71},
	}
	if len(c.Phases) != len(want) {
		t.Fatalf("%d phases, want %d: %+v", len(c.Phases), len(want), c.Phases)
	}
	for i, w := range want {
		g := c.Phases[i]
		if g.Name != w.name || g.From != w.from || g.To != w.to || g.Text != w.text || g.Source.Line != w.line || g.Topic != "区城停车整治工作方案" {
			t.Errorf("phase %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestNoticeQuotas(t *testing.T) {
	c := canon(extractNotices(noticesFixture(t, "notices_sample.txt")))
	if len(c.Quotas) != 12 {
		t.Fatalf("%d quotas, want 12 (3 rows × 4 columns)", len(c.Quotas))
	}
	title := "2023年河道保洁任务分解表"
	want := map[int]kb.Quota{
		0:  {Topic: title, Town: "东风镇", Item: "全年河道长度", Value: "10", Source: kb.Source{File: "notices_sample.txt", Line: 97, Title: title, Row: 1}},
		3:  {Topic: title, Town: "东风镇", Item: "上半年保洁面积", Value: "8", Source: kb.Source{File: "notices_sample.txt", Line: 97, Title: title, Row: 1}},
		5:  {Topic: title, Town: "南山镇", Item: "上半年河道长度", Value: "3", Source: kb.Source{File: "notices_sample.txt", Line: 104, Title: title, Row: 2}},
		10: {Topic: title, Town: "全区合计", Item: "全年保洁面积", Value: "33", Source: kb.Source{File: "notices_sample.txt", Line: 111, Title: title, Row: 3}},
	}
	for i, w := range want {
		if c.Quotas[i] != w {
			t.Errorf("quota %d = %+v, want %+v", i, c.Quotas[i], w)
		}
	}
	// The fixture's total of 全年保洁面积 is off by one on purpose.
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0].Msg, "全年保洁面积 total 33") || c.Warnings[0].Source.Row != 3 {
		t.Errorf("warnings = %v, want one about the 全年保洁面积 total", c.Warnings)
	}
}

func TestNoticeUnits(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"区发展和改革委员会（工业和信息化局、粮食和物资储备局）（为主）", []string{"发改委", "工信局", "粮食和物资储备局"}},
		{"区政府办公室（研究室、外事办、电子政务中心）、人力资源和社会保障局", []string{"政府办", "研究室", "外事办", "电子政务中心", "人社局"}},
		{"城市管理局（综合行政执法局）、交通运输局，政府投资项目工程建设中心", []string{"城管局", "交通局", "政府投资项目工程建设中心"}},
		{"区域治理现代化指挥中心", []string{"区域治理现代化指挥中心"}},
		{"海门经济技术开发区（海门街道）", []string{"开发区", "海门街道"}},
		{"科创办等", []string{"科创办"}},
		{"各区镇人民政府（管委会）", []string{"各区镇人民政府（管委会）"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := shortNames(noticeUnits(tt.in)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("noticeUnits(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitNamePost(t *testing.T) {
	tests := []struct {
		in, name, post string
		ok             bool
	}{
		{"冯  斌  区政府办公室主任", "冯斌", "区政府办公室主任", true},
		{"沈旭东  区委副书记，区政府区长", "沈旭东", "区委副书记，区政府区长", true},
		{"黄钱渠  区考核办专职副主任，", "黄钱渠", "区考核办专职副主任，", true},
		{"南通市海门区人民政府", "", "", false},
		{"二、联席会议主要职能", "", "", false},
		{"斌", "", "", false},
		{"冯  斌", "", "", false},
	}
	for _, tt := range tests {
		name, post, ok := splitNamePost(tt.in)
		if name != tt.name || post != tt.post || ok != tt.ok {
			t.Errorf("splitNamePost(%q) = %q, %q, %v; want %q, %q, %v", tt.in, name, post, ok, tt.name, tt.post, tt.ok)
		}
	}
}

func TestPhaseLines(t *testing.T) {
	tests := []struct {
		line           string
		name, from, to string
	}{
		{"第一阶段：摸底排查阶段（2022年1月—2022年2月）。对照标准。", "摸底排查阶段", "2022年1月", "2022年2月"},
		{"动员部署阶段（2022年1月—2月），召开动员会。", "动员部署阶段", "2022年1月", "2月"},
		{"常态管理阶段（2022年9月起）。形成机制。", "常态管理阶段", "2022年9月", ""},
		{"验收阶段（2022年11月1日至12月31日）", "验收阶段", "2022年11月1日", "12月31日"},
	}
	for _, tt := range tests {
		d := &Document{File: "p.txt", Lines: []string{"关于开展整治的通知", "海政办发〔2022〕1号", tt.line}}
		c := canon(extractNotices(d))
		if len(c.Phases) != 1 {
			t.Errorf("%q: %d phases, want 1", tt.line, len(c.Phases))
			continue
		}
		p := c.Phases[0]
		if p.Name != tt.name || p.From != tt.from || p.To != tt.to || p.Source.Line != 3 {
			t.Errorf("%q = %+v, want %s %s—%s at line 3", tt.line, p, tt.name, tt.from, tt.to)
		}
	}
}

func mustFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestNoticeQuotasRealTable reads a quota table as the .docx reader gives
// it: every grid column present, spanned header cells empty, the cells
// under 序号 and 区镇 vertical merges, 全区合计 spanning two columns.
func TestNoticeQuotasRealTable(t *testing.T) {
	cells := func(ss ...string) []Cell {
		var out []Cell
		for _, s := range ss {
			out = append(out, Cell{Text: s})
		}
		return out
	}
	sub := cells("序号", "区镇", "十四五期间", "2022年", "十四五期间", "2022年")
	sub[0].Merged, sub[1].Merged = true, true
	d := &Document{
		File:  "quota.docx",
		Lines: []string{"关于下达任务的通知", "海政办发〔2022〕1号", "附件", "任务分解表"},
		Tables: []Table{{Name: "表格1", Line: 4, Rows: [][]Cell{
			cells("序号", "区镇", "新增上市企业数", "", "新增报会企业数", ""),
			sub,
			cells("1", "开发区", "4", "1", "6", "2"),
			cells("全区合计", "", "4", "1", "6", "2"),
		}}},
	}
	c := canon(extractNotices(d))
	var got []string
	for _, q := range c.Quotas {
		got = append(got, q.Town+"|"+q.Item+"|"+q.Value+"|"+q.Source.Title)
	}
	want := []string{
		"开发区|十四五期间新增上市企业数|4|任务分解表", "开发区|2022年新增上市企业数|1|任务分解表",
		"开发区|十四五期间新增报会企业数|6|任务分解表", "开发区|2022年新增报会企业数|2|任务分解表",
		"全区合计|十四五期间新增上市企业数|4|任务分解表", "全区合计|2022年新增上市企业数|1|任务分解表",
		"全区合计|十四五期间新增报会企业数|6|任务分解表", "全区合计|2022年新增报会企业数|2|任务分解表",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("quotas:\n got %q\nwant %q", got, want)
	}
	if len(c.Warnings) != 0 {
		t.Errorf("warnings: %v", c.Warnings)
	}
}
