package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A county that is not the seeds: the fictional 青溪县 set of kb/ingest
// (kb/ingest/county_fixture_test.go writes it). Its task table says
// 责任县领导 / 责任单位 / 配合单位 / 完成时间 with sections as spanning rows,
// its 民生实事 table has another column order, its units are written
// 县住房和城乡建设局, 县住建局, 青溪县财政局, and its deadlines 三季度末,
// 6—9月, 长期坚持. Questions and reminders must work on it as on the seeds.
// The assertions are on facts (names, numbers, dates), not on wording.

// countyDocs copies the county's task document in format ext and its
// progress report into a folder of their own.
func countyDocs(t *testing.T, ext string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"qx_2025_renwu" + ext, "qx_2025_jinzhan.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "kb", "ingest", "testdata", "county", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCountyAnswers(t *testing.T) {
	for _, ext := range []string{".txt", ".docx", ".xlsx"} {
		t.Run(ext, func(t *testing.T) {
			docs := countyDocs(t, ext)
			tests := []struct {
				q       string
				want    []string // facts the answer must state
				wantNot []string // facts it must not
			}{
				// who leads: a row whose leader cell is merged with the row above
				{"6号任务谁牵头", []string{"王丽", "交通运输局"}, nil},
				{"第3项谁牵头", []string{"张明华", "工业和信息化局"}, nil},
				// a unit's tasks by its short name, its full name with the
				// county prefix, and the county's own spelling
				{"住建局牵头哪些任务", []string{"老旧小区", "污水管网", "背街小巷"}, []string{"农村公路"}},
				{"县住房和城乡建设局牵头哪些任务", []string{"老旧小区", "污水管网", "背街小巷"}, []string{"农村公路"}},
				{"发改委配合哪些任务", []string{"扩区调规", "新院区"}, nil},
				{"交通局牵头哪些", []string{"农村公路"}, []string{"老旧小区"}},
				// due windows in 2025, the county's year
				{"9月底前要完成哪些", []string{"专精特新", "农村公路", "口袋公园", "助餐"}, []string{"养老床位", "视力筛查"}},
				{"第12项什么时候完成", []string{"12月31日"}, nil},
				{"第7项什么时候完成", []string{"12月31日"}, nil},
				// the 民生实事 table in its own column order
				{"实事第3项谁牵头", []string{"陈志强", "水务局"}, nil},
				{"实事第4项谁牵头", []string{"教育局", "卫生健康委员会"}, nil},
				// the mid-year report's progress
				{"第1项进展情况", []string{"扩区方案"}, nil},
				{"who leads task 5", []string{"王丽", "住房和城乡建设局"}, nil},
			}
			for _, tt := range tests {
				out, _, err := runCLI(t, "", "ask", "--docs", docs, tt.q)
				if err != nil {
					t.Errorf("ask %q: %v", tt.q, err)
					continue
				}
				for _, w := range tt.want {
					if !strings.Contains(out, w) {
						t.Errorf("ask %q: answer lacks %q:\n%s", tt.q, w, out)
					}
				}
				for _, w := range tt.wantNot {
					if strings.Contains(out, w) {
						t.Errorf("ask %q: answer states %q:\n%s", tt.q, w, out)
					}
				}
				// No seed document may leak into a county's answers.
				for _, seed := range []string{"海门", "南通", "2020年", "沈旭东"} {
					if strings.Contains(out, seed) {
						t.Errorf("ask %q: answer mentions the seeds' %q:\n%s", tt.q, seed, out)
					}
				}
			}
		})
	}
}

// TestCountyReminders routes the county's deadlines to the chats of its
// units, named in the config by a short name (住建局), a full name with the
// county prefix (县交通运输局) and the towns' collective (各乡镇（街道）).
func TestCountyReminders(t *testing.T) {
	docs := countyDocs(t, ".txt")
	cfg := filepath.Join(t.TempDir(), "duban.yaml")
	if err := os.WriteFile(cfg, []byte(`
chats:
  - {name: 住建局群, type: wecom_webhook, webhook_key: k1, units: [住建局]}
  - {name: 交通局群, type: wecom_webhook, webhook_key: k2, units: [县交通运输局]}
  - {name: 乡镇群, type: dingtalk_webhook, access_token: t, units: ["各乡镇（街道）"]}
reminders:
  - {cron: "0 9 * * 1-5", days_before: [7], overdue_every_days: 0, co_units: true}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	type push struct {
		Chat  string
		Units []string
		Tasks []struct {
			Table, Due, Milestone string
			No                    int
		}
	}
	plan := func(now string) map[string]string {
		t.Helper()
		out, _, err := runCLI(t, "", "remind", "--docs", docs, "--config", cfg, "--now", now, "--dry-run", "--json")
		if err != nil {
			t.Fatalf("remind --now %s: %v", now, err)
		}
		var pushes []push
		if err := json.Unmarshal([]byte(out), &pushes); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		got := map[string]string{}
		for _, p := range pushes {
			for _, task := range p.Tasks {
				got[p.Chat+"/"+task.Table+"/"+itoa(task.No)] = task.Due + " " + task.Milestone
			}
		}
		return got
	}
	// 25 June: 老旧小区改造 (key task 5, 6月30日前) and the report's task 3
	// (6月底前), both led by 住房和城乡建设局, are due in 5 days.
	got := plan("2025-06-25T09:00:00+08:00")
	for _, k := range []string{"住建局群/key_tasks/5", "住建局群/progress_2025/3"} {
		if !strings.HasPrefix(got[k], "2025-06-30 due-7") {
			t.Errorf("%s = %q, want 2025-06-30 due-7; plan %v", k, got[k], got)
		}
	}
	// 24 September: 农村公路 (key task 6, 第三季度) goes to the transport
	// bureau's chat, and to the towns' chat as a co-unit (各乡镇（街道）).
	got = plan("2025-09-24T09:00:00+08:00")
	for _, k := range []string{"交通局群/key_tasks/6", "乡镇群/key_tasks/6"} {
		if !strings.HasPrefix(got[k], "2025-09-30 due-7") {
			t.Errorf("%s = %q, want 2025-09-30 due-7; plan %v", k, got[k], got)
		}
	}
	if _, ok := got["住建局群/key_tasks/6"]; ok {
		t.Errorf("住建局群 reminded of the transport bureau's task 6: %v", got)
	}
}

// TestCountyKBPage: the emulator's knowledge-base page lists the county's
// own tables (not the seeds') and shows the kb check report.
func TestCountyKBPage(t *testing.T) {
	s := newKBState(countyDocs(t, ".docx"), nil, slog.New(slog.DiscardHandler))
	if err := s.load(context.Background()); err != nil {
		t.Fatal(err)
	}
	sum := s.summary()
	var titles []string
	for _, tc := range sum.Tables {
		titles = append(titles, tc.Name+"="+tc.Title)
	}
	if want := "key_tasks=青溪县2025年县政府重点工作任务分解表"; len(titles) == 0 || titles[0] != want {
		t.Errorf("tables = %q, want %q first", titles, want)
	}
	var check strings.Builder
	for _, sec := range sum.Check {
		check.WriteString(sec.Title + "\n" + strings.Join(sec.Lines, "\n") + "\n")
	}
	for _, want := range []string{"read as task tables", "columns: no | text | lead_leaders | lead_units | co_units | deadline",
		"merged columns (empty cell = the value above): lead_leaders, lead_units, deadline", "供水公司 = 城乡供水公司"} {
		if !strings.Contains(check.String(), want) {
			t.Errorf("kb page check lacks %q:\n%s", want, check.String())
		}
	}
}

// TestCountyOtherGenres: the county's measures and its leaders' division
// of labour answer as the seeds' do, 协助分管 included.
func TestCountyOtherGenres(t *testing.T) {
	docs := countyDocs(t, ".txt")
	for _, name := range []string{"qx_2025_cuoshi.txt", "qx_2025_fengong.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "kb", "ingest", "testdata", "county", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(docs, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"王丽分管哪些部门", []string{"住房和城乡建设局", "交通运输局", "城市管理局"}},
		{"财政局归谁分管", []string{"王丽"}},
		{"住建局归谁分管", []string{"王丽"}},
		{"谁联系东湖镇", []string{"张明华"}},
		{"急救指挥中心什么时候建成", []string{"9月30日"}},
	} {
		out, _, err := runCLI(t, "", "ask", "--docs", docs, tt.q)
		if err != nil {
			t.Errorf("ask %q: %v", tt.q, err)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("ask %q: answer lacks %q:\n%s", tt.q, w, out)
			}
		}
	}
}
