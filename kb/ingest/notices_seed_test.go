package ingest

import (
	"duban/kb/ingest/seedtest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"duban/kb"
)

// noticesSeed reads the seed document whose name starts with prefix from
// ../shared/seeds beside the module root, skipping the test when the seeds
// are not there.
func noticesSeed(t *testing.T, prefix string) *Document {
	t.Helper()
	path := seedPath(t, prefix)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ReadText(filepath.Base(path), b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// seedPath finds the seed whose name starts with prefix.
func seedPath(tb testing.TB, prefix string) string {
	tb.Helper()
	seeds := seedtest.Dir(tb)
	matches, _ := filepath.Glob(filepath.Join(seeds, prefix+"*.txt"))
	if len(matches) == 0 {
		tb.Skipf("no seed %s* in %s", prefix, seeds)
	}
	return matches[0]
}

func mustSeedBytes(tb testing.TB, prefix string) []byte {
	tb.Helper()
	b, err := os.ReadFile(seedPath(tb, prefix))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestGenreOfSeeds(t *testing.T) {
	tests := []struct {
		prefix        string
		notices, plan bool
	}{
		{"000_", false, false},
		{"001_", false, false},
		{"002_", true, false},
		{"003_", false, true},
		{"004_", false, false},
	}
	for _, tt := range tests {
		d := noticesSeed(t, tt.prefix)
		if got := isNotices(d); got != tt.notices {
			t.Errorf("isNotices(%s) = %v, want %v", d.File, got, tt.notices)
		}
		if got := isPlan(d); got != tt.plan {
			t.Errorf("isPlan(%s) = %v, want %v", d.File, got, tt.plan)
		}
	}
}

func TestNoticesSeedCounts(t *testing.T) {
	d := noticesSeed(t, "002_")
	c := canon(extractNotices(d))
	counts := []struct {
		what      string
		got, want int
	}{
		{"leaders", len(c.Leaders), 11},
		{"members", len(c.Members), 58}, // 联席会议 2 召集人 + 27 成员; 推进落实组 1 总协调 + 2 组长 + 26 副组长
		{"quotas", len(c.Quotas), 110},  // 10 towns + 全区合计, 5 items × (十四五期间, 2022年)
		{"phases", len(c.Phases), 3},
		{"duties", len(c.Duties), 154},
		{"warnings", len(c.Warnings), 0},
	}
	for _, n := range counts {
		if n.got != n.want {
			t.Errorf("%s: %d, want %d", n.what, n.got, n.want)
		}
	}
	for _, w := range c.Warnings {
		t.Log(w)
	}
	roles := map[string]int{}
	for _, du := range c.Duties {
		roles[du.Role]++
	}
	// 22 numbered member-unit items name 28 units; 8 任务分工 items (城管局
	// 牵头, 住建局 and 市监局 配合, 5 others); 118 units in the 26 （责任单位：…）
	// clauses of the 人口集聚 opinions.
	if roles["成员单位"] != 28 || roles["牵头"] != 1 || roles["配合"] != 2 || roles["责任单位"] != 123 {
		t.Errorf("duty roles = %v", roles)
	}
	for _, x := range c.Leaders {
		checkSource(t, "leader "+x.Name, x.Source, d.File)
	}
	for _, x := range c.Members {
		checkSource(t, "member "+x.Name, x.Source, d.File)
	}
	for _, x := range c.Duties {
		checkSource(t, "duty "+x.Unit, x.Source, d.File)
	}
	for _, x := range c.Quotas {
		checkSource(t, "quota "+x.Town, x.Source, d.File)
		if x.Source.Row < 1 || x.Source.Row > 11 {
			t.Errorf("quota %+v: row out of 1..11", x)
		}
	}
}

// checkSource fails unless src cites file at a line with a title.
func checkSource(t *testing.T, what string, src kb.Source, file string) {
	t.Helper()
	if src.File != file || src.Line < 1 || src.Title == "" {
		t.Errorf("%s: source %+v", what, src)
	}
}

func TestNoticesSeedItems(t *testing.T) {
	d := noticesSeed(t, "002_")
	c := canon(extractNotices(d))
	member := func(i int) kb.Member { return c.Members[i] }
	const meeting = "区政府关于进一步健全和完善企业上市和新三板挂牌联席会议制度的通知"
	members := []struct {
		i    int
		want kb.Member
	}{
		{0, kb.Member{Body: "企业上市和新三板挂牌联席会议", Role: "召集人", Name: "沈旭东", Post: "区委副书记，区政府区长", Source: kb.Source{File: d.File, Line: 16, Title: meeting}}},
		{2, kb.Member{Body: "企业上市和新三板挂牌联席会议", Role: "成员", Name: "冯斌", Post: "区政府办公室主任", Source: kb.Source{File: d.File, Line: 20, Title: meeting}}},
		{28, kb.Member{Body: "企业上市和新三板挂牌联席会议", Role: "成员", Name: "苏俭雄", Post: "中国人民银行海门支行行长", Source: kb.Source{File: d.File, Line: 72, Title: meeting}}},
		{29, kb.Member{Body: "上市工作推进落实组", Role: "总协调", Name: "周国强", Post: "区委常委，区政府常务副区长", Source: kb.Source{File: d.File, Line: 92, Title: meeting}}},
		{31, kb.Member{Body: "上市工作推进落实组", Role: "组长", Name: "周杰", Post: "区政府办公室副主任", Source: kb.Source{File: d.File, Line: 96, Title: meeting}}},
		{34, kb.Member{Body: "上市工作推进落实组", Role: "副组长", Name: "黄钱渠", Post: "区考核办专职副主任，区委组织部人才引进科科长", Source: kb.Source{File: d.File, Line: 102, Title: meeting}}},
		{57, kb.Member{Body: "上市工作推进落实组", Role: "副组长", Name: "崔丽娟", Post: "中国人民银行海门支行副主任科员", Source: kb.Source{File: d.File, Line: 152, Title: meeting}}},
	}
	for _, m := range members {
		if got := member(m.i); got != m.want {
			t.Errorf("member %d = %+v, want %+v", m.i, got, m.want)
		}
	}

	const quotaTitle = "“十四五”期间海门企业上市和新三板挂牌任务分解表"
	quotas := []struct {
		i    int
		want kb.Quota
	}{
		{0, kb.Quota{Topic: quotaTitle, Town: "开发区", Item: "十四五期间新增上市企业数", Value: "4", Source: kb.Source{File: d.File, Line: 307, Title: quotaTitle, Row: 1}}},
		{9, kb.Quota{Topic: quotaTitle, Town: "开发区", Item: "2022年新增新三板挂牌企业数", Value: "2", Source: kb.Source{File: d.File, Line: 307, Title: quotaTitle, Row: 1}}},
		{45, kb.Quota{Topic: quotaTitle, Town: "三星镇", Item: "2022年新增辅导备案企业数", Value: "1", Source: kb.Source{File: d.File, Line: 359, Title: quotaTitle, Row: 5}}},
		{96, kb.Quota{Topic: quotaTitle, Town: "正余镇", Item: "十四五期间新增上市入轨企业数", Value: "5", Source: kb.Source{File: d.File, Line: 424, Title: quotaTitle, Row: 10}}},
		{106, kb.Quota{Topic: quotaTitle, Town: "全区合计", Item: "十四五期间新增上市入轨企业数", Value: "55", Source: kb.Source{File: d.File, Line: 437, Title: quotaTitle, Row: 11}}},
	}
	for _, q := range quotas {
		if got := c.Quotas[q.i]; got != q.want {
			t.Errorf("quota %d = %+v, want %+v", q.i, got, q.want)
		}
	}

	const parking = "区政府办公室关于印发《海门区中心城区停车泊位规范化施划工作方案》的通知"
	phases := []kb.Phase{
		{Topic: "海门区中心城区停车泊位规范化施划工作方案", Name: "摸底排查阶段", From: "2022年1月", To: "2022年2月", Source: kb.Source{File: d.File, Line: 1206, Title: parking}},
		{Topic: "海门区中心城区停车泊位规范化施划工作方案", Name: "规范施划阶段", From: "2022年3月", To: "2022年8月", Source: kb.Source{File: d.File, Line: 1208, Title: parking}},
		{Topic: "海门区中心城区停车泊位规范化施划工作方案", Name: "常态管理阶段", From: "2022年9月", Text: "各部门落实工作职责，强化日常管理工作，形成常态长效管理机制。", Source: kb.Source{File: d.File, Line: 1210, Title: parking}},
	}
	for i, w := range phases {
		g := c.Phases[i]
		if w.Text == "" {
			w.Text = g.Text // long; checked by its start below
		}
		if g != w {
			t.Errorf("phase %d = %+v, want %+v", i, g, w)
		}
	}
	if !strings.HasPrefix(c.Phases[0].Text, "对照南通市市区停车泊位施划标准") {
		t.Errorf("phase 0 text = %q", c.Phases[0].Text)
	}

	type duty struct{ unit, role, topic string }
	duties := []struct {
		line int
		duty
		text string // prefix
	}{
		{158, duty{"金融监管局", "成员单位", "企业上市和新三板挂牌联席会议"}, "负责联席会议推进落实组办公室工作。"},
		{174, duty{"医保局", "成员单位", "企业上市和新三板挂牌联席会议"}, "指导拟上市企业建立和完善劳动保障"},
		{1186, duty{"城管局", "牵头", "海门区中心城区停车泊位规范化施划工作方案"}, "负责牵头城区停车泊位规范化施划工作"},
		{1190, duty{"住建局", "配合", "海门区中心城区停车泊位规范化施划工作方案"}, "配合城管局督促物业服务企业"},
		{1200, duty{"海晟集团", "责任单位", "海门区中心城区停车泊位规范化施划工作方案"}, "负责公共停车泊位规范化施划的具体实施工作"},
		{579, duty{"交通局", "责任单位", "关于加快海门区人口集聚的实施意见"}, "1.加快对外交通路网建设。"},
		{579, duty{"住建局", "责任单位", "关于加快海门区人口集聚的实施意见"}, "1.加快对外交通路网建设。"},
	}
	for _, w := range duties {
		found := false
		for _, g := range c.Duties {
			if g.Source.Line == w.line && (duty{g.Unit, g.Role, g.Topic}) == w.duty && strings.HasPrefix(g.Text, w.text) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no duty %+v %q… at line %d", w.duty, w.text, w.line)
		}
	}
}

func BenchmarkExtractNoticesSeed(b *testing.B) {
	bs := mustSeedBytes(b, "002_")
	for b.Loop() {
		d, _ := ReadText("002.txt", bs)
		canon(extractNotices(d))
	}
}

func BenchmarkExtractPlanSeed(b *testing.B) {
	bs := mustSeedBytes(b, "003_")
	for b.Loop() {
		d, _ := ReadText("003.txt", bs)
		extractPlan(d)
	}
}
