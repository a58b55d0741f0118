package ingest

import (
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
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("go.mod not found")
		}
		dir = parent
	}
	seeds := filepath.Join(dir, "..", "shared", "seeds")
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
	c := extractNotices(d)
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

func leaderNamed(c kb.Contents, name string) (kb.Leader, bool) {
	for _, l := range c.Leaders {
		if l.Name == name {
			return l, true
		}
	}
	return kb.Leader{}, false
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestNoticesSeedLeaders(t *testing.T) {
	d := noticesSeed(t, "002_")
	c := extractNotices(d)
	const title = "关于区政府领导同志工作分工的通知"
	tests := []struct {
		name, post string
		line       int
		oversees   []string
		liaises    []string
		areas      []string
		assists    []string
	}{
		{"沈旭东", "区委副书记，区政府区长", 224, nil, []string{"人武部", "驻海部队", "海门港新区"}, []string{"区政府全面工作", "财政", "人民武装"}, nil},
		{"周国强", "区委常委，区政府常务副区长", 227,
			[]string{"政府办", "研究室", "外事办", "电子政务中心", "发改委", "工信局", "粮食和物资储备局", "人社局", "应急管理局", "安委办", "国资办", "金融监管局", "区域治理现代化指挥中心", "机关事务服务中心", "交易中心", "江苏海润城市发展集团有限公司"},
			[]string{"人民法院", "检察院", "税务局", "海门经济技术开发区", "海门街道"}, []string{"区政府常务工作", "发展改革", "粮食和物资储备"},
			[]string{"区长统筹协调全区经济建设和社会事业重大问题", "负责财政", "负责审计", "分管财政局", "分管审计局"}},
		{"宋涯", "副区长", 231, []string{"发改委", "工信局", "粮食和物资储备局", "科技局", "审批局", "政务办", "企业服务中心", "统计局", "投资服务中心", "项目办", "科创办"},
			[]string{"临江新区", "三厂工业园区", "科协"}, []string{"工业经济", "挂帅北京招商分局"}, nil},
		{"丁忠明", "副区长", 235, []string{"司法局", "依治办", "信访局"}, []string{"三星镇"}, []string{"区公安局工作", "司法行政", "信访", "社会治理"},
			[]string{"负责消防救援", "负责人民武装", "负责处置和打击非法集资", "分管消防救援大队", "联系人武部", "联系驻海部队"}},
		{"王一兵", "副区长", 239, []string{"商务局", "口岸办", "市监局", "知识产权局", "攻坚办"}, []string{"南通海关驻海门办事处", "悦来镇"}, []string{"“菜篮子”工程"},
			[]string{"负责大数据管理", "负责区域治理现代化", "分管区域治理现代化指挥中心"}},
		{"王瑊", "副区长", 243, []string{"农业农村局", "乡村振兴局", "水利局", "文广旅局", "民政局", "退役军人事务局", "供销总社"}, []string{"残联", "正余镇", "海永镇"}, []string{"河长制"}, nil},
		{"施张范", "副区长", 247, []string{"教体局", "教育督导室", "卫健委", "医保局", "地方志办公室"}, []string{"团区委", "常乐镇", "余东镇"}, []string{"地方志"}, nil},
		{"茅敏勇", "副区长", 251, []string{"住建局", "人防办", "地震局", "城管局", "交通局", "政府投资项目工程建设中心", "住房建设服务中心", "北部新城建设指挥部", "江苏海晟控股集团有限公司", "江苏海鸿投资控股集团有限公司"},
			[]string{"南通海门海事处", "自然资源局", "林业局", "海洋局", "邮政管理局", "四甲镇"}, []string{"交通运输", "绿化"}, nil},
		{"陈腾", "挂职", 254, nil, nil, []string{"科技镇长团工作"}, []string{"负责工业经济", "负责科技创新", "联系三厂工业园区"}},
		{"成建平", "", 255, nil, nil, nil, []string{"负责自然资源管理", "负责交通运输", "负责绿化"}},
		{"陈敏", "", 257, nil, nil, nil, []string{"负责财税和招商引资工作"}},
	}
	for _, tt := range tests {
		l, ok := leaderNamed(c, tt.name)
		if !ok {
			t.Errorf("leader %s missing", tt.name)
			continue
		}
		if l.Post != tt.post || l.Source.Line != tt.line || l.Source.Title != title {
			t.Errorf("%s: post %q at %+v, want %q at line %d", tt.name, l.Post, l.Source, tt.post, tt.line)
		}
		if tt.oversees != nil && strings.Join(l.Oversees, "、") != strings.Join(tt.oversees, "、") {
			t.Errorf("%s oversees %q, want %q", tt.name, l.Oversees, tt.oversees)
		}
		if tt.oversees == nil && len(l.Oversees) > 0 {
			t.Errorf("%s oversees %q, want none", tt.name, l.Oversees)
		}
		for _, u := range tt.liaises {
			if !hasString(l.Liaises, u) {
				t.Errorf("%s liaises %q, want it to include %s", tt.name, l.Liaises, u)
			}
		}
		for _, a := range tt.areas {
			if !hasString(l.Areas, a) {
				t.Errorf("%s areas %q, want it to include %s", tt.name, l.Areas, a)
			}
		}
		for _, a := range tt.assists {
			if !hasString(l.Assists, a) {
				t.Errorf("%s assists %q, want it to include %s", tt.name, l.Assists, a)
			}
		}
	}
	// The questions officials ask.
	who := func(pick func(kb.Leader) []string, unit string) []string {
		var out []string
		for _, l := range c.Leaders {
			if hasString(pick(l), unit) {
				out = append(out, l.Name)
			}
		}
		return out
	}
	oversees := func(l kb.Leader) []string { return l.Oversees }
	liaises := func(l kb.Leader) []string { return l.Liaises }
	if got := who(oversees, "交通局"); strings.Join(got, ",") != "茅敏勇" {
		t.Errorf("交通运输局归谁分管 = %v, want 茅敏勇", got)
	}
	if got := who(liaises, "三星镇"); strings.Join(got, ",") != "丁忠明" {
		t.Errorf("谁联系三星镇 = %v, want 丁忠明", got)
	}
	if got := who(oversees, "发改委"); strings.Join(got, ",") != "周国强,宋涯" {
		t.Errorf("发改委归谁分管 = %v, want 周国强 (为主), 宋涯", got)
	}
}

func TestNoticesSeedItems(t *testing.T) {
	d := noticesSeed(t, "002_")
	c := extractNotices(d)
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
		extractNotices(d)
	}
}

func BenchmarkExtractPlanSeed(b *testing.B) {
	bs := mustSeedBytes(b, "003_")
	for b.Loop() {
		d, _ := ReadText("003.txt", bs)
		extractPlan(d)
	}
}
