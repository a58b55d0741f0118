package main

import (
	"bytes"
	"context"
	"duban/kb/ingest/seedtest"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"duban/kb"
	"duban/progress"
	"duban/scheduler"
	"duban/store/memstore"
)

// seedsDir is ../shared/seeds beside the module root, or skips t.
func seedsDir(t *testing.T) string {
	t.Helper()
	seeds := seedtest.Dir(t)
	return seeds
}

// TestStatusExport records reports in an embedded store, then runs
// `duban status export` in both formats and reads the files back.
func TestStatusExport(t *testing.T) {
	seeds := seedsDir(t)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "duban.yaml")
	if err := os.WriteFile(cfgPath, []byte("data_dir: ./data\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := memstore.Open(memstore.Config{Dir: filepath.Join(dir, "data")})
	if err != nil {
		t.Fatal(err)
	}
	tr := progress.New(st, progress.Config{})
	for _, s := range []kb.Status{
		{Table: kb.KeyTasks, No: 76, State: kb.Done, Note: "已验收", Unit: "住建局", User: "王五"},
		{Table: kb.PeopleProjects, No: 12, State: kb.Extension, Extension: "10月底"},
	} {
		if _, err := tr.Record(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	ctx := context.Background()
	var stdout, stderr bytes.Buffer
	csvPath := filepath.Join(dir, "status.csv")
	if err := run(ctx, []string{"status", "export", "--docs", seeds, "--config", cfgPath, "-o", csvPath}, nil, &stdout, &stderr); err != nil {
		t.Fatalf("export csv: %v\n%s", err, stderr.String())
	}
	raw, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	state := map[string]string{}
	for _, r := range rows[1:] {
		state[r[0]+"#"+r[1]] = r[9]
	}
	if got := state[kb.TableTitle[kb.KeyTasks]+"#76"]; got != "已完成" {
		t.Errorf("key task 76 in csv: %q", got)
	}
	if got := state[kb.TableTitle[kb.KeyTasks]+"#1"]; got != "未开始" {
		t.Errorf("key task 1 in csv: %q", got)
	}

	xlsxPath := filepath.Join(dir, "status.xlsx")
	if err := run(ctx, []string{"status", "export", "--docs", seeds, "--config", cfgPath, "--format", "xlsx", "-o", xlsxPath}, nil, &stdout, &stderr); err != nil {
		t.Fatalf("export xlsx: %v\n%s", err, stderr.String())
	}
	f, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatalf("xlsx does not open: %v", err)
	}
	defer f.Close()
	xrows, err := f.GetRows(kb.TableTitle[kb.PeopleProjects])
	if err != nil {
		t.Fatal(err)
	}
	if len(xrows) != 51 || xrows[12][9] != "申请延期" || xrows[12][11] != "10月底" {
		t.Errorf("people projects sheet: %d rows, row 12 = %q", len(xrows), xrows[min(12, len(xrows)-1)])
	}

	stdout.Reset()
	if err := run(ctx, []string{"status", "history", "--config", cfgPath, "76"}, nil, &stdout, &stderr); err != nil {
		t.Fatalf("history: %v", err)
	}
	if !strings.Contains(stdout.String(), "#1 ") || !strings.Contains(stdout.String(), "current: 已完成 (住建局") {
		t.Errorf("history:\n%s", stdout.String())
	}
	if err := run(ctx, []string{"status", "export", "--format", "pdf"}, nil, &stdout, &stderr); err == nil {
		t.Error("--format pdf accepted")
	}
}

func TestChatUnits(t *testing.T) {
	chats := []chatConfig{
		{Chat: scheduler.Chat{Name: "住建局工作群", Units: []string{"住房和城乡建设局"}, ConversationIDs: []string{"cid1", "cid2"}}},
		{Chat: scheduler.Chat{Name: "联合群", Units: []string{"交通运输局", "住建局"}, ConversationIDs: []string{"cid2"}}},
		{Chat: scheduler.Chat{Name: "区镇群", Units: []string{"各区镇"}}},
	}
	f := chatUnits(chats)
	for id, want := range map[string][]string{
		"cid1": {"住建局"}, "cid2": {"住建局", "交通局"}, "区镇群": {"各区镇"}, "住建局工作群": nil, "": nil,
	} {
		if got := f(id); !slices.Equal(got, want) {
			t.Errorf("chatUnits(%q) = %q, want %q", id, got, want)
		}
	}
}
