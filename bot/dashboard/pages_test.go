package dashboard

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"duban/handlers"
	"duban/kb"
	"duban/progress"
)

const local = "127.0.0.1:5000"

func TestPages(t *testing.T) {
	d := newTestDashboard(t, "", "")
	tests := []struct {
		path string
		want []string
	}{
		{"/dashboard/?asof=2020-12-20&table=key_tasks", []string{"逐月完成情况", "未来六个月到期", "项目办", "75%", `<svg class="chart"`}},
		{"/dashboard/timeline?asof=2020-12-20&unit=住建局", []string{`<svg class="timeline"`, "推进公共停车场", "已完成招标，12月开工", "sq done"}},
		{"/dashboard/report?asof=2020-12-20&table=key_tasks", []string{"督办工作通报", "红灯任务（逾期未完成，1 项）", "项目办（1 项）"}},
		{"/dashboard/task/key_tasks/3?asof=2020-12-20", []string{"已完成", "交通局"}},
		{"/dashboard/static/style.css", []string{"@page{size:A4", "WenQuanYi Micro Hei"}},
	}
	for _, tt := range tests {
		w := get(d, tt.path, local, "127.0.0.1:8080", nil)
		if w.Code != http.StatusOK {
			t.Errorf("GET %s = %d: %s", tt.path, w.Code, w.Body.String())
			continue
		}
		for _, s := range tt.want {
			if !strings.Contains(w.Body.String(), s) {
				t.Errorf("GET %s lacks %q", tt.path, s)
			}
		}
	}
	for path, want := range map[string]int{
		"/dashboard/?asof=2020-13-40":          http.StatusBadRequest,
		"/dashboard/task/key_tasks/999":        http.StatusNotFound,
		"/dashboard/task/nope/1":               http.StatusNotFound,
		"/dashboard/api/task/key_tasks/x":      http.StatusNotFound,
		"/dashboard/does-not-exist":            http.StatusNotFound,
		"/dashboard/?light=purple&sort=random": http.StatusOK, // unknown values are dropped
	} {
		if w := get(d, path, local, "127.0.0.1", nil); w.Code != want {
			t.Errorf("GET %s = %d, want %d", path, w.Code, want)
		}
	}
}

func TestNoBase(t *testing.T) {
	d := New(Config{Base: func() *kb.Base { return nil }})
	if w := get(d, "/dashboard/", local, "127.0.0.1", nil); w.Code != http.StatusServiceUnavailable {
		t.Errorf("no base: %d, want 503", w.Code)
	}
}

// TestTaskPage checks the record, its citation, the history as of a day
// (an undo made later is not shown yet) and the bot's answer.
func TestTaskPage(t *testing.T) {
	b := seeds(t)
	h := handlers.New(b, handlers.Config{})
	d := New(Config{Base: func() *kb.Base { return b }, History: reports().history,
		Answer: func(ctx context.Context, q handlers.Question) handlers.Reply { return h.Answer(ctx, q) }})
	var got struct {
		AsOf    string       `json:"as_of"`
		Task    Task         `json:"task"`
		Cite    string       `json:"cite"`
		History []HistoryRow `json:"history"`
		Later   int          `json:"later"`
		Ledger  string       `json:"ledger"`
		Q       string       `json:"question"`
		Answer  string       `json:"answer"`
	}
	w := get(d, "/dashboard/api/task/key_tasks/3?asof=2020-12-20", local, "127.0.0.1", nil)
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatalf("api/task: %d %v: %s", w.Code, err, w.Body.String())
	}
	if got.Task.Light != "done" || len(got.History) != 1 || got.Later != 1 {
		t.Errorf("task 3 at 12-20: light %s, %d entries, %d later; want done, 1, 1", got.Task.Light, len(got.History), got.Later)
	}
	if !strings.Contains(got.Cite, "004_07f1fbb038e9b517.txt:") || !strings.Contains(got.Cite, "第3项") {
		t.Errorf("cite = %q, want the 004 file and line", got.Cite)
	}
	if got.Q != "第3项" || !strings.Contains(got.Answer, "交通局") || !strings.Contains(got.Answer, "来源") {
		t.Errorf("answer to %q = %q, want 交通局 with its source", got.Q, got.Answer)
	}
	if got.Ledger == "read" {
		t.Errorf("ledger = read with no Reminders configured")
	}
	// After the undo: two rows, the first withdrawn, and not done.
	w = get(d, "/dashboard/api/task/key_tasks/3?asof=2020-12-28", local, "127.0.0.1", nil)
	got.History = nil
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.History) != 2 || !got.History[0].Withdrawn || got.Task.Light == "done" || got.History[1].Label != "撤销 #1" {
		t.Errorf("task 3 at 12-28: %+v, light %s; want the completion withdrawn", got.History, got.Task.Light)
	}
	// Other tables are asked with a wording whose answer cites the task.
	for _, tc := range []struct {
		path, cite string
	}{
		{"people_projects/12", "004_07f1fbb038e9b517.txt:"},
		{"nantong_2019/76", "001_fb6daadb09dca042.txt:"},
		{"measures_2019/76", "000_1777fef5a1a94697.txt:"},
	} {
		got.Answer = ""
		w := get(d, "/dashboard/api/task/"+tc.path+"?asof=2020-12-20", local, "127.0.0.1", nil)
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		no := tc.path[strings.IndexByte(tc.path, '/')+1:]
		if !strings.Contains(got.Answer, tc.cite) || !strings.Contains(got.Answer, "第"+no+"项") {
			t.Errorf("answer for %s (asked %q) = %q, want it to cite %s", tc.path, got.Q, got.Answer, tc.cite)
		}
	}
}

// TestExports checks that both exports hold the filtered view.
func TestExports(t *testing.T) {
	d := newTestDashboard(t, "", "")
	q := "?asof=2020-12-20&table=key_tasks&unit=住建局"
	w := get(d, "/dashboard/export.csv"+q, local, "127.0.0.1", nil)
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment;") {
		t.Fatalf("csv: %d %q", w.Code, w.Header().Get("Content-Disposition"))
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(w.Body.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+19 {
		t.Errorf("csv rows = %d, want header + 19 住建局 key tasks", len(rows))
	}
	w = get(d, "/dashboard/export.xlsx"+q, local, "127.0.0.1", nil)
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatalf("xlsx: %d %v", w.Code, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 2 {
		t.Fatalf("sheets = %v, want tasks and units", sheets)
	}
	xrows, err := f.GetRows(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(xrows) != 1+19 {
		t.Errorf("xlsx task rows = %d, want 20", len(xrows))
	}
	units, _ := f.GetRows(sheets[1])
	if len(units) != 2 || units[1][0] != "住建局" || units[1][len(units[1])-1] != "100%" {
		t.Errorf("xlsx units = %v, want one row 住建局 … 100%%", units)
	}
}

func TestAPIBoard(t *testing.T) {
	d := newTestDashboard(t, "", "")
	w := get(d, "/dashboard/api/board?asof=2020-12-20&table=key_tasks", local, "127.0.0.1", nil)
	var b struct {
		AsOf  string `json:"as_of"`
		Total struct {
			Total  int            `json:"total"`
			Lights map[string]int `json:"lights"`
			Rate   *float64       `json:"rate"`
		} `json:"total"`
		Units []struct {
			Name string `json:"name"`
		} `json:"units"`
		Months []Month `json:"months"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
		t.Fatalf("api/board: %v: %s", err, w.Body.String())
	}
	if b.AsOf != "2020-12-20" || b.Total.Total != 173 || b.Total.Lights["red"] != 1 || b.Total.Rate == nil || *b.Total.Rate != 75 {
		t.Errorf("api/board = %+v", b)
	}
	if len(b.Units) == 0 || b.Units[0].Name != "项目办" || len(b.Months) != 12 {
		t.Errorf("api/board units[0] / months = %v / %d", b.Units, len(b.Months))
	}
	w = get(d, "/dashboard/api/tasks?asof=2020-12-20&light=red", local, "127.0.0.1", nil)
	var ts struct {
		Count int    `json:"count"`
		Tasks []Task `json:"tasks"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &ts); err != nil {
		t.Fatal(err)
	}
	if ts.Count != 5 || len(ts.Tasks) != 5 || ts.Tasks[0].Due > ts.Tasks[4].Due {
		t.Errorf("api/tasks red = %d tasks, want 5 by due date", ts.Count)
	}
}

// TestGzip checks that a page is sent gzipped to a browser that accepts it,
// and plain to one that does not.
func TestGzip(t *testing.T) {
	d := newTestDashboard(t, "", "")
	w := get(d, "/dashboard/timeline?asof=2020-12-20", local, "127.0.0.1", map[string]string{"Accept-Encoding": "gzip, deflate, br"})
	if w.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", w.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil || !strings.Contains(string(body), "到期时间轴") {
		t.Errorf("gzipped timeline unreadable: %v", err)
	}
	w = get(d, "/dashboard/timeline?asof=2020-12-20", local, "127.0.0.1", map[string]string{"Accept-Encoding": "gzip;q=0"})
	if w.Header().Get("Content-Encoding") != "" || !strings.Contains(w.Body.String(), "到期时间轴") {
		t.Errorf("gzip;q=0 got Content-Encoding %q", w.Header().Get("Content-Encoding"))
	}
}

// TestHistoryError checks that an unreadable journal is a 500 that says
// what failed, never a board of made-up 未开始 tasks.
func TestHistoryError(t *testing.T) {
	b := seeds(t)
	d := New(Config{Base: func() *kb.Base { return b }, History: func(context.Context, kb.Table, int) ([]progress.Entry, error) {
		return nil, errors.New("redis: connection refused")
	}})
	w := get(d, "/dashboard/api/board", local, "127.0.0.1", nil)
	if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), "dashboard: statuses: redis: connection refused") {
		t.Errorf("journal down: %d %q, want 500 naming the statuses", w.Code, w.Body.String())
	}
}
