package ingest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"duban/kb"
)

func loadFixture(t *testing.T, name string) kb.Contents {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := ReadText(name, b)
	if err != nil {
		t.Fatal(err)
	}
	return canon(extractTaskTables(d))
}

func TestTaskTablesFixture(t *testing.T) {
	c := loadFixture(t, "tasktable_sample.txt")
	type want struct {
		table     kb.Table
		no        int
		section   string
		leaders   []string
		units     []string
		co        []string
		deadline  string
		due       string
		qualifier string
		inherited []string
	}
	tests := []want{
		{kb.KeyTasks, 1, "一、抓好产业发展", []string{"王大明"}, []string{"发改委"}, []string{"开发区", "各乡镇"}, "全年", "2021-12-31", "", []string{}},
		// empty leader, unit and deadline cells continue the row above; an
		// empty co-unit cell means none
		{kb.KeyTasks, 2, "一、抓好产业发展", []string{"王大明"}, []string{"发改委"}, []string{}, "6月底前", "2021-06-30", "", []string{"lead_leaders", "lead_units"}},
		// two leaders run together, padded names, units with a blank line between
		{kb.KeyTasks, 3, "一、抓好产业发展", []string{"王大明", "李强"}, []string{"交通局", "住建局"}, []string{}, "公路养护9月底前", "2021-09-30", "公路养护", []string{}},
		// the section cell repeated at a page break is the same section
		{kb.KeyTasks, 4, "一、抓好产业发展", []string{"王大明", "李强"}, []string{"水利局"}, []string{"各乡镇"}, "公路养护9月底前", "2021-09-30", "公路养护", []string{"lead_leaders", "deadline_text"}},
		{kb.KeyTasks, 5, "二、改善民生", []string{"赵敏"}, []string{"教体局"}, []string{"财政局"}, "长期", "", "", []string{}},
		{kb.PeopleProjects, 1, "教育", []string{"赵敏"}, []string{"教体局"}, []string{"各乡镇"}, "12月底前", "2021-12-31", "", []string{}},
		// the 实事 table merges across categories
		{kb.PeopleProjects, 2, "健康", []string{"赵敏"}, []string{"教体局"}, []string{}, "12月底前", "2021-12-31", "", []string{"lead_leaders", "lead_units", "deadline_text"}},
	}
	if len(c.Records) != len(tests) {
		t.Fatalf("got %d records, want %d", len(c.Records), len(tests))
	}
	for i, w := range tests {
		r := c.Records[i]
		got := want{r.Table, r.No, r.Section, r.LeadLeaders, r.LeadUnits, r.CoUnits, r.DeadlineText, r.Due.ISO(), r.Qualifier, r.Inherited}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
	if got := c.Records[2].Text; got != "完善公路网络，新建农村公路30公里。" {
		t.Errorf("wrapped text = %q", got)
	}
	// Section start with an empty lead unit cannot inherit: a warning.
	for _, w := range c.Warnings {
		t.Logf("warning: %s", w)
	}
	if len(c.Warnings) != 0 {
		t.Errorf("got %d warnings, want 0", len(c.Warnings))
	}
}

func TestTaskTablesWarnings(t *testing.T) {
	src := "2021年县政府重点工作任务分解表\n\t重点工作\n\t序号\n\t主要任务\n\t牵头领导\n\t牵头单位\n\t协同单位\n\t完成时限\n" +
		"\t一、甲\n\t1\n\t任务一\n\t\n\t\n\t\n\t尽快\n" +
		"\t\n\t3\n\t任务三\n\t张三\n\t财政局\n\t\n\t全年\n"
	d, err := ReadText("x.txt", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c := canon(extractTaskTables(d))
	var msgs []string
	for _, w := range c.Warnings {
		msgs = append(msgs, w.String())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		"x.txt:9: row 1: lead_leaders is empty at the start of a section",
		"x.txt:9: row 1: task 1 has no lead unit",
		`deadline "尽快" not understood`,
		"x.txt:16: row 2: 序号 3 follows 1",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q; got:\n%s", want, all)
		}
	}
	if !c.Records[0].Unparsed || c.Records[0].DeadlineText != "尽快" {
		t.Errorf("unparsed deadline not flagged: %+v", c.Records[0])
	}
}

func TestReadTextErrors(t *testing.T) {
	_, err := ReadText("bad.txt", []byte("第一行\n\xff\xfe坏"))
	if err == nil || !strings.Contains(err.Error(), "bad.txt:2: not UTF-8, UTF-16") {
		t.Errorf("ReadText(invalid UTF-8) = %v, want bad.txt:2: not UTF-8, UTF-16 …", err)
	}
}

func FuzzTaskTables(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join("testdata", "tasktable_sample.txt"))
	f.Add(b)
	f.Add([]byte("2020年重点工作任务分解表\n\t序号\n\t主要任务\n\t牵头单位\n\t1\n"))
	f.Add([]byte("2020年重点工作任务分解表\n\t\n\t\n"))
	f.Add([]byte("2025年任务表\n序号\t工作任务\t责任单位\t完成时间\n1\t\"甲\n乙\"\t县住建局\t6月底前\n一、其他\n"))
	f.Add([]byte("\t序号\n\t工作任务\n\t责任单位\n\t完成时间\n\t\n\t\n\t牵头单位\n\t配合单位\n\t\n\t1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ReadText("f.txt", b)
		if err != nil {
			return
		}
		Extract(d)
	})
}
