package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"duban/kb"
)

// countyWant is one expected record of the county set, written by hand
// from what an official reads in the documents (not from the generator's
// cells): units as the county writes them most often (住房和城乡建设局, not
// the seeds' 住建局), dates in 2025.
type countyWant struct {
	table     kb.Table
	no        int
	section   string
	text      string
	leaders   string // joined by 、
	units     string
	co        string
	deadline  string
	due       string
	qualifier string
	inherited string // joined by ,
}

var countyWants = []countyWant{
	{"key_tasks", 1, "一、聚力产业强县", "推进青溪经济开发区扩区调规，新增标准厂房20万平方米。", "张明华", "经济开发区管委会", "发展和改革局、自然资源和规划局", "2025年6月底前", "2025-06-30", "", ""},
	{"key_tasks", 2, "一、聚力产业强县", "实施工业技改项目50个，完成工业投资80亿元。", "张明华", "工业和信息化局", "财政局", "年底前", "2025-12-31", "", "lead_leaders"},
	{"key_tasks", 3, "一、聚力产业强县", "培育省级专精特新企业10家。", "张明华", "工业和信息化局", "科学技术局", "三季度末", "2025-09-30", "", "lead_leaders,lead_units"},
	{"key_tasks", 4, "一、聚力产业强县", "开展招商引资攻坚年活动，签约亿元以上项目30个。", "李建国", "商务局", "各乡镇（街道）、县级相关部门", "持续推进", "", "", ""},
	{"key_tasks", 5, "二、提升城乡品质", "完成城区老旧小区改造15个。", "王丽", "住房和城乡建设局", "财政局", "6月30日前", "2025-06-30", "", ""},
	{"key_tasks", 6, "二、提升城乡品质", "新改建农村公路60公里。", "王丽", "交通运输局", "各乡镇（街道）", "第三季度", "2025-09-30", "", "lead_leaders"},
	{"key_tasks", 7, "二、提升城乡品质", "推进城区污水管网建设。", "王丽", "住房和城乡建设局", "水务局", "分阶段推进，12月底前完成主体工程", "2025-12-31", "分阶段推进，完成主体工程", ""},
	{"key_tasks", 8, "二、提升城乡品质", "落实河湖长制，巩固水环境治理成效。", "陈志强", "水务局", "生态环境局青溪分局", "长期坚持", "", "", ""},
	{"key_tasks", 9, "三、增进民生福祉", "新建城区公办幼儿园2所。", "赵红梅", "教育局", "住房和城乡建设局", "2025年10月", "2025-10-31", "", ""},
	{"key_tasks", 10, "三、增进民生福祉", "建成口袋公园8个，开展全民健身活动。", "赵红梅", "文化广电和旅游局", "城市管理局", "6—9月", "2025-09-30", "", "lead_leaders"},
	{"key_tasks", 11, "三、增进民生福祉", "推进县人民医院新院区建设。", "赵红梅", "卫生健康委员会", "发展和改革局", "12月底前", "2025-12-31", "", ""},
	{"key_tasks", 12, "三、增进民生福祉", "新增养老床位200张，完善养老服务体系。", "刘强", "民政局", "", "12月底前", "2025-12-31", "", "deadline_text"},
	{"people_projects", 1, "", "城乡居民医保提标：人均财政补助标准提高30元。", "赵红梅", "医疗保障局", "财政局", "12月底前", "2025-12-31", "", ""},
	{"people_projects", 2, "", "老年助餐服务：新建社区助餐点10个。", "赵红梅", "民政局", "各乡镇（街道）", "9月底前", "2025-09-30", "", "lead_leaders"},
	{"people_projects", 3, "", "农村供水改造：改造农村供水管网100公里。", "陈志强", "水务局", "城乡供水有限公司", "9月底前", "2025-09-30", "", "deadline_text"},
	{"people_projects", 4, "", "学生视力健康：为全县中小学生免费开展视力筛查。", "赵红梅", "教育局、卫生健康委员会", "", "2025年11月30日前", "2025-11-30", "", ""},
	{"people_projects", 5, "", "背街小巷整治：整治背街小巷20条。", "王丽", "住房和城乡建设局", "城市管理局、城乡供水有限公司", "年底前", "2025-12-31", "", ""},
	{"progress_2025", 1, "一、聚力产业强县", "推进青溪经济开发区扩区调规，新增标准厂房20万平方米。", "", "经济开发区管委会", "发展和改革局", "", "", "", ""},
	{"progress_2025", 2, "一、聚力产业强县", "实施工业技改项目50个。", "", "工业和信息化局", "财政局", "", "", "", ""},
	{"progress_2025", 3, "二、提升城乡品质", "完成城区老旧小区改造15个，6月底前完成设计。", "", "住房和城乡建设局", "财政局", "6月底前", "2025-06-30", "", ""},
	{"progress_2025", 4, "二、提升城乡品质", "新改建农村公路60公里。", "", "交通运输局", "", "", "", "", ""},
}

// countyFields lists the fields compared, by name.
var countyFields = []string{"section", "text", "lead_leaders", "lead_units", "co_units", "deadline_text", "due", "qualifier", "inherited"}

func (w countyWant) fields() []string {
	return []string{w.section, w.text, w.leaders, w.units, w.co, w.deadline, w.due, w.qualifier, w.inherited}
}

func gotFields(r kb.Record) []string {
	return []string{r.Section, r.Text, strings.Join(r.LeadLeaders, "、"), strings.Join(r.LeadUnits, "、"),
		strings.Join(r.CoUnits, "、"), r.DeadlineText, r.Due.ISO(), r.Qualifier, strings.Join(r.Inherited, ",")}
}

// loadCounty loads the committed county set with the task document in
// format ext (the progress report is text).
func loadCounty(t testing.TB, ext string) kb.Contents {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, name := range []string{"qx_2025_renwu" + ext, "qx_2025_jinzhan.txt"} {
		b, err := os.ReadFile(filepath.Join(countyDir, name))
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: b}
	}
	res, err := Load(context.Background(), fsys)
	if err != nil {
		t.Fatalf("Load(county %s): %v", ext, err)
	}
	return res.Contents
}

func loadBytes(t testing.TB, name string, b []byte) kb.Contents {
	t.Helper()
	res, err := Load(context.Background(), fstest.MapFS{name: {Data: b}})
	if err != nil {
		t.Fatalf("Load(%s): %v", name, err)
	}
	return res.Contents
}

// TestCountyExtraction proves extraction field by field on the county set
// in each format and reports the fraction of fields right; every field
// must be right.
func TestCountyExtraction(t *testing.T) {
	for _, ext := range []string{".txt", ".docx", ".xlsx"} {
		t.Run(ext, func(t *testing.T) {
			c := loadCounty(t, ext)
			byKey := map[string]kb.Record{}
			for _, r := range c.Records {
				byKey[string(r.Table)+"/"+itoa(r.No)] = r
			}
			right, total := 0, 0
			for _, w := range countyWants {
				want := w.fields()
				total += len(want)
				r, ok := byKey[string(w.table)+"/"+itoa(w.no)]
				if !ok {
					t.Errorf("%s %d missing", w.table, w.no)
					continue
				}
				got := gotFields(r)
				for i := range want {
					if got[i] == want[i] {
						right++
					} else {
						t.Errorf("%s %d %s = %q, want %q", w.table, w.no, countyFields[i], got[i], want[i])
					}
				}
			}
			if len(c.Records) != len(countyWants) {
				t.Errorf("%d records, want %d", len(c.Records), len(countyWants))
			}
			t.Logf("county set %s: %d of %d fields right (%.3f)", ext, right, total, float64(right)/float64(total))
		})
	}
}

// TestCountyRegistry: the county's tables are registered from what its
// documents say: titles, 2025, 青溪, column roles and merged columns.
func TestCountyRegistry(t *testing.T) {
	c := loadCounty(t, ".txt")
	want := map[kb.Table]struct {
		title, cols, merged string
		rows                int
	}{
		"key_tasks":       {"青溪县2025年县政府重点工作任务分解表", "no,text,lead_leaders,lead_units,co_units,deadline", "lead_leaders,lead_units,deadline", 12},
		"people_projects": {"青溪县2025年民生实事项目推进表", "no,text,detail,deadline,lead_units,lead_leaders,co_units", "deadline,lead_leaders", 5},
		"progress_2025":   {"青溪县2025年重点工作任务上半年推进情况", "", "", 4},
	}
	if len(c.Tables) != len(want) {
		t.Errorf("%d tables, want %d: %+v", len(c.Tables), len(want), c.Tables)
	}
	for _, ti := range c.Tables {
		w, ok := want[ti.ID]
		if !ok {
			t.Errorf("unexpected table %s", ti.ID)
			continue
		}
		if ti.Title != w.title || ti.Year != 2025 || ti.Place != "青溪" || ti.Rows != w.rows ||
			strings.Join(ti.Columns, ",") != w.cols || strings.Join(ti.Merged, ",") != w.merged {
			t.Errorf("table %s = %+v, want title %q 2025 青溪 rows %d columns %q merged %q", ti.ID, ti, w.title, w.rows, w.cols, w.merged)
		}
	}
}
