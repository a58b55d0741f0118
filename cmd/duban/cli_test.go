package main

import (
	"bytes"
	"context"
	"duban/kb/ingest/seedtest"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// seeds returns ../shared/seeds beside the repository.
func seeds(t *testing.T) string { return seedtest.Dir(t) }

func runCLI(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func TestKBDumpContract(t *testing.T) {
	out, _, err := runCLI(t, "", "kb", "dump", "--docs", seeds(t))
	if err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	if err := json.Unmarshal([]byte(out), &recs); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, r := range recs {
		for _, k := range []string{"doc", "table", "section", "no", "text", "lead_leaders", "lead_units", "co_units", "deadline_text", "due", "inherited"} {
			if _, ok := r[k]; !ok {
				t.Fatalf("record lacks %q: %v", k, r)
			}
		}
		count[r["table"].(string)]++
	}
	want := map[string]int{"key_tasks": 173, "people_projects": 50, "nantong_2019": 100}
	for table, n := range want {
		if count[table] != n {
			t.Errorf("%s: %d records, want %d", table, count[table], n)
		}
	}
	if count["measures_2019"] == 0 {
		t.Error("no measures_2019 records")
	}
	for _, kind := range []string{"leaders", "indicators", "quotas", "units"} {
		out, _, err := runCLI(t, "", "kb", "dump", "--docs", seeds(t), "--kind", kind)
		if err != nil {
			t.Fatalf("kb dump --kind %s: %v", kind, err)
		}
		var items []any
		if err := json.Unmarshal([]byte(out), &items); err != nil || len(items) == 0 {
			t.Errorf("kb dump --kind %s: %d items, %v", kind, len(items), err)
		}
	}
}

func TestKBCheck(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "t.txt"), []byte("2021年县政府重点工作任务分解表\n\t序号\n\t主要任务\n\t牵头单位\n\t完成时限\n\t1\n\t任务一\n\t\n\t尽快\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "old.doc"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.txt"), []byte("\x80\x81\xfe"), 0o644)
	out, _, err := runCLI(t, "", "kb", "check", "--docs", dir)
	if err == nil {
		t.Error("kb check with a broken document succeeded")
	}
	for _, want := range []string{"skipped old.doc", "t.txt:6: row 1: task 1 has no lead unit", `deadline "尽快" not understood`, "bad.txt:1: not UTF-8"} {
		if !strings.Contains(out, want) {
			t.Errorf("kb check output lacks %q:\n%s", want, out)
		}
	}
}

func TestAsk(t *testing.T) {
	docs := seeds(t)
	out, _, err := runCLI(t, "", "ask", "--docs", docs, "--json", "76号任务谁牵头")
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Question, Answer, Intent string
		Sources                  []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Answer, "周国强") || a.Intent != "task" || len(a.Sources) == 0 {
		t.Errorf("ask --json = %+v", a)
	}
	// --batch from standard input: one JSON line per question, in order.
	out, _, err = runCLI(t, "76号谁牵头\n\n实事第12项谁负责\n第300项谁牵头\n", "ask", "--docs", docs, "--batch", "-")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("batch gave %d lines:\n%s", len(lines), out)
	}
	for i, want := range []string{"周国强", "卫健委", "未找到"} {
		var l struct{ Question, Answer string }
		json.Unmarshal([]byte(lines[i]), &l)
		if !strings.Contains(l.Answer, want) {
			t.Errorf("batch line %d = %+v, want %q", i, l, want)
		}
	}
	// Questions on the command line form one conversation.
	out, _, err = runCLI(t, "", "ask", "--docs", docs, "17号谁牵头", "那它什么时候到期？")
	if err != nil || !strings.Contains(out, "8月底前") {
		t.Errorf("follow-up on the command line: %v\n%s", err, out)
	}
}

func TestRemindDryRun(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "duban.yaml")
	os.WriteFile(cfg, []byte(`
chats:
  - {name: 项目办群, type: wecom_webhook, webhook_key: k, units: [项目办]}
  - {name: 政法委群, type: dingtalk_webhook, access_token: t, units: [政法委]}
reminders:
  - {cron: "0 9 * * 1-5", days_before: [7], overdue_every_days: 0}
`), 0o644)
	out, _, err := runCLI(t, "", "remind", "--docs", seeds(t), "--config", cfg, "--now", "2020-08-25T09:00:00+08:00", "--dry-run", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var pushes []struct {
		Chat  string
		Units []string
		Tasks []struct {
			Table, Due, Milestone string
			No                    int
		}
		Text string
	}
	if err := json.Unmarshal([]byte(out), &pushes); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := map[string]string{}
	for _, p := range pushes {
		for _, task := range p.Tasks {
			got[p.Chat+"/"+task.Table+"/"+itoa(task.No)] = task.Milestone
		}
		if !strings.Contains(p.Text, "督办提醒") {
			t.Errorf("push text = %q", p.Text)
		}
	}
	// Key task 17 (项目办, 8月底前) is due in 6 days; key task 154 (政法委,
	// 6月底前) became overdue on July 1.
	if got["项目办群/key_tasks/17"] != "due-7" {
		t.Errorf("task 17 milestone = %q; pushes %v", got["项目办群/key_tasks/17"], got)
	}
	if got["政法委群/key_tasks/154"] != "overdue-1" {
		t.Errorf("task 154 milestone = %q; pushes %v", got["政法委群/key_tasks/154"], got)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"kb"}, {"ask", "--docs", "x"}, {"remind", "--dry-run", "--send"}} {
		_, _, err := runCLI(t, "", args...)
		if !errors.Is(err, errUsage) {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
	out, _, err := runCLI(t, "", "help")
	if err != nil || !strings.Contains(out, "duban serve") {
		t.Errorf("help: %v %q", err, out)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
