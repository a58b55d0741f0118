package progress

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"duban/kb"
)

func exportStatuses() map[Key]kb.Status {
	at := time.Date(2020, 9, 3, 10, 30, 0, 0, kb.Location)
	return map[Key]kb.Status{
		{kb.KeyTasks, 76}:       {Table: kb.KeyTasks, No: 76, State: kb.Done, Note: "已验收", Unit: "住建局", User: "王五", Chat: "cid-zjj", At: at},
		{kb.PeopleProjects, 12}: {Table: kb.PeopleProjects, No: 12, State: kb.Extension, Extension: "10月底", Note: "原因：用地", Unit: "教体局", At: at},
	}
}

func TestWriteCSV(t *testing.T) {
	b := fixtureBase(t)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, b, exportStatuses()); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff")) {
		t.Error("no byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	if len(rows) != 1+len(b.Records()) {
		t.Fatalf("%d rows, want header + %d", len(rows), len(b.Records()))
	}
	checkExportRows(t, rows)
}

func TestWriteXLSX(t *testing.T) {
	b := fixtureBase(t)
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, b, exportStatuses()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("xlsx does not open: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	want := []string{kb.TableTitle[kb.KeyTasks], kb.TableTitle[kb.PeopleProjects], kb.TableTitle[kb.Nantong2019]}
	if strings.Join(sheets, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets = %q, want %q", sheets, want)
	}
	var all [][]string
	for i, s := range sheets {
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			rows = rows[1:]
		}
		for _, r := range rows {
			// GetRows drops trailing empty cells.
			all = append(all, append(r, make([]string, len(exportHeader)-len(r))...))
		}
	}
	if len(all) != 1+len(b.Records()) {
		t.Fatalf("%d rows, want header + %d", len(all), len(b.Records()))
	}
	checkExportRows(t, all)
}

// checkExportRows checks the header and chosen cells of either export.
func checkExportRows(t *testing.T, rows [][]string) {
	t.Helper()
	if strings.Join(rows[0], ",") != strings.Join(exportHeader, ",") {
		t.Errorf("header = %q", rows[0])
	}
	find := func(table string, no string) []string {
		for _, r := range rows[1:] {
			if r[0] == table && r[1] == no {
				return r
			}
		}
		t.Fatalf("no row %s %s", table, no)
		return nil
	}
	r := find(kb.TableTitle[kb.KeyTasks], "76")
	if r[7] != "8月底前" || r[8] != "2020-08-31" || r[9] != "已完成" || r[10] != "已验收" || r[12] != "住建局" || r[13] != "王五" || r[15] != "2020-09-03 10:30" {
		t.Errorf("key task 76 = %q", r)
	}
	r = find(kb.TableTitle[kb.PeopleProjects], "12")
	if r[9] != "申请延期" || r[11] != "10月底" {
		t.Errorf("people project 12 = %q", r)
	}
	r = find(kb.TableTitle[kb.KeyTasks], "5")
	if r[9] != "未开始" || r[15] != "" {
		t.Errorf("unreported task 5 = %q", r)
	}
}
