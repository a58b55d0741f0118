package ingest

import (
	"context"
	"duban/kb/ingest/seedtest"
	"os"
	"strconv"
	"strings"
	"testing"

	"duban/kb"
)

// seedsDir finds ../shared/seeds beside the repository.
func seedsDir(t testing.TB) string {
	t.Helper()
	seeds := seedtest.Dir(t)
	if _, err := os.Stat(seeds); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("seeds missing at %s", seeds)
		}
		t.Skipf("seeds missing at %s", seeds)
	}
	return seeds
}

func loadSeeds(t testing.TB) kb.Contents {
	t.Helper()
	res, err := Load(context.Background(), os.DirFS(seedsDir(t)))
	if err != nil {
		t.Fatalf("Load(seeds): %v", err)
	}
	return res.Contents
}

func TestSeedTaskTableCounts(t *testing.T) {
	c := loadSeeds(t)
	count := map[kb.Table]int{}
	sections := map[kb.Table]map[string]bool{}
	seen := map[string]bool{}
	for _, r := range c.Records {
		count[r.Table]++
		if sections[r.Table] == nil {
			sections[r.Table] = map[string]bool{}
		}
		sections[r.Table][r.Section] = true
		key := string(r.Table) + "/" + itoa(r.No)
		if seen[key] {
			t.Errorf("%s doubled", key)
		}
		seen[key] = true
	}
	for _, tt := range []struct {
		table          kb.Table
		rows, sections int
	}{
		{kb.KeyTasks, 173, 9},
		{kb.PeopleProjects, 50, 10},
	} {
		if count[tt.table] != tt.rows || len(sections[tt.table]) != tt.sections {
			t.Errorf("%s: %d rows in %d sections, want %d in %d", tt.table, count[tt.table], len(sections[tt.table]), tt.rows, tt.sections)
		}
		for no := 1; no <= tt.rows; no++ {
			if !seen[string(tt.table)+"/"+itoa(no)] {
				t.Errorf("%s %d lost", tt.table, no)
			}
		}
	}
	for _, w := range c.Warnings {
		if w.Source.File == "004_07f1fbb038e9b517.txt" {
			t.Errorf("unexpected warning on the task tables: %s", w)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestSeedTaskRecords checks rows field by field as a careful official
// reads the table, merged-cell rows above all.
func TestSeedTaskRecords(t *testing.T) {
	c := loadSeeds(t)
	byKey := map[string]kb.Record{}
	for _, r := range c.Records {
		byKey[string(r.Table)+"/"+itoa(r.No)] = r
	}
	join := func(xs []string) string { return strings.Join(xs, "、") }
	tests := []struct {
		table                       kb.Table
		no                          int
		leaders, units, co, dl, due string
		inherited                   string
	}{
		{kb.KeyTasks, 1, "沈旭东", "政府办", "海门港新区、各有关部门", "全年", "2020-12-31", ""},
		{kb.KeyTasks, 2, "周国强", "交通局", "海门港新区", "全年", "2020-12-31", ""},
		{kb.KeyTasks, 3, "周国强、姜勇", "交通局、商务局", "发改委、开发区、通海港口公司", "全年", "2020-12-31", ""},
		{kb.KeyTasks, 8, "周国强", "交通局、住建局", "自然资源局、相关区镇、交通产业集团", "全年", "2020-12-31", "lead_leaders"},
		{kb.KeyTasks, 11, "沈旭东", "发改委、投资服务中心、项目办", "", "全年", "2020-12-31", "lead_leaders"},
		{kb.KeyTasks, 13, "黄静、陈敢、周国强", "民政局、卫健委、医保局、教体局、文广旅局、交通局", "", "全年", "2020-12-31", ""},
		{kb.KeyTasks, 15, "沈旭东", "投资服务中心", "各招商分局、各区镇", "12月底前", "2020-12-31", "lead_leaders"},
		{kb.KeyTasks, 17, "沈旭东", "项目办", "开发区、海门港新区", "8月底前", "2020-08-31", "lead_leaders,lead_units"},
		{kb.KeyTasks, 22, "沈旭东、姜勇", "发改委", "开发区、高新区", "全年", "2020-12-31", ""},
		{kb.KeyTasks, 26, "沈旭东", "发改委、商务局", "相关园区", "12月底前", "2020-12-31", "lead_leaders,deadline_text"},
		{kb.KeyTasks, 44, "沈旭东、周国强", "发改委、自然资源局", "各区镇", "全年", "2020-12-31", ""},
		{kb.KeyTasks, 53, "姜勇、劳剑东", "科技局", "", "12月底前", "2020-12-31", "lead_units"},
		{kb.KeyTasks, 61, "姜勇", "商务局", "", "全年", "2020-12-31", "lead_leaders,lead_units"},
		{kb.KeyTasks, 64, "姜勇", "商务局", "海门海关、公安局、市监局、交通局", "全年", "2020-12-31", "lead_leaders,lead_units"},
		{kb.KeyTasks, 74, "周国强", "城管局", "高新区、开发区", "全年", "2020-12-31", "lead_leaders,lead_units"},
		{kb.KeyTasks, 76, "周国强", "住建局", "交通产业集团", "12月底前", "2020-12-31", ""},
		{kb.KeyTasks, 77, "周国强", "城管局", "", "12月底前", "2020-12-31", "lead_leaders"},
		{kb.KeyTasks, 85, "黄静", "宣传部、文广旅局", "全民阅读领导小组成员单位", "全年", "2020-12-31", "lead_leaders,lead_units"},
		{kb.KeyTasks, 98, "陈敢", "水利局", "农业农村局", "12月底前", "2020-12-31", ""},
		{kb.KeyTasks, 112, "姜勇", "生态环境局", "攻坚办、住建局、城管局、交通局、公安局、各区镇", "12月底前", "2020-12-31", ""},
		{kb.KeyTasks, 131, "沈旭东、黄静", "人社局、医保局", "", "12月底前", "2020-12-31", ""},
		{kb.KeyTasks, 146, "沈旭东", "统计局", "各区镇、相关部门", "全年", "2020-12-31", ""},
		{kb.KeyTasks, 149, "沈旭东、姜勇", "应急管理局", "安委会、各成员单位", "全年", "2020-12-31", "lead_leaders"},
		{kb.KeyTasks, 154, "胡文瑞", "政法委、社管中心", "编办、各区镇、相关部门", "6月底前", "2020-06-30", ""},
		{kb.KeyTasks, 156, "胡文瑞", "政法委、社管中心", "", "全年", "2020-12-31", "lead_leaders,lead_units"},
		{kb.KeyTasks, 164, "各市长", "政府办", "", "全年", "2020-12-31", "lead_leaders,lead_units"},
		{kb.KeyTasks, 165, "各市长", "政府办", "", "全年", "2020-12-31", "lead_leaders,lead_units"},
		{kb.KeyTasks, 173, "各市长", "政府办", "各部门、各区镇", "12月底前", "2020-12-31", ""},
		{kb.PeopleProjects, 1, "沈旭东", "人社局", "各区镇", "12月底前", "2020-12-31", ""},
		{kb.PeopleProjects, 3, "陈敢", "民政局、农业农村局", "各区镇", "12月底前", "2020-12-31", "lead_leaders"},
		{kb.PeopleProjects, 7, "黄静", "医保局", "", "12月底前", "2020-12-31", "lead_leaders,lead_units"},
		{kb.PeopleProjects, 9, "陈敢", "残联", "各区镇", "12月底前", "2020-12-31", ""},
		{kb.PeopleProjects, 10, "陈敢", "残联", "", "12月底前", "2020-12-31", "lead_leaders,lead_units"},
		{kb.PeopleProjects, 12, "黄静", "卫健委、正余镇、四甲镇", "民政局、保障房集团", "12月底前", "2020-12-31", ""},
		{kb.PeopleProjects, 13, "胡文瑞", "政法委、社管中心", "编办、各区镇、相关部门", "6月底前", "2020-06-30", ""},
		{kb.PeopleProjects, 21, "胡文瑞", "消防救援大队", "民政局、各区镇", "12月底前", "2020-12-31", "lead_leaders"},
		{kb.PeopleProjects, 24, "周国强", "高新区", "住建局、公安局、城管局、教体局、消防救援大队、供电公司、邮管局、江苏有线海门分公司、移动公司、电信公司、联通公司", "12月底前", "2020-12-31", ""},
		{kb.PeopleProjects, 25, "姜勇", "科协、住建局、自然资源局", "代建中心、保障房集团", "5月底前", "2020-05-31", ""},
		{kb.PeopleProjects, 39, "黄静", "卫健委", "", "12月底前", "2020-12-31", "lead_leaders,lead_units"},
		{kb.PeopleProjects, 44, "陈敢、周国强、姜勇", "水利局、住建局、生态环境局", "攻坚办、相关区镇", "河道疏浚12月底前", "2020-12-31", ""},
		{kb.PeopleProjects, 48, "周国强", "住建局", "自然资源局、交通产业集团、相关区镇", "12月底前", "2020-12-31", "lead_leaders,lead_units"},
		{kb.PeopleProjects, 50, "周国强", "交通局", "相关区镇", "12月底前", "2020-12-31", "lead_leaders,lead_units"},
	}
	for _, tt := range tests {
		r, ok := byKey[string(tt.table)+"/"+itoa(tt.no)]
		if !ok {
			t.Errorf("%s %d missing", tt.table, tt.no)
			continue
		}
		got := []string{join(r.LeadLeaders), join(r.LeadUnits), join(r.CoUnits), r.DeadlineText, r.Due.ISO(), strings.Join(r.Inherited, ",")}
		want := []string{tt.leaders, tt.units, tt.co, tt.dl, tt.due, tt.inherited}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s %d field %d = %q, want %q", tt.table, tt.no, i, got[i], want[i])
			}
		}
		if r.Source.File != "004_07f1fbb038e9b517.txt" || r.Source.Line == 0 || r.Source.Row == 0 {
			t.Errorf("%s %d source = %+v", tt.table, tt.no, r.Source)
		}
	}
	if q := byKey["people_projects/44"].Qualifier; q != "河道疏浚" {
		t.Errorf("实事 44 qualifier = %q, want 河道疏浚", q)
	}
}
