package mcp

import (
	"slices"
	"strings"
	"testing"
	"time"

	"duban/kb"
)

// The expected values below were read from the seed documents: 004 line
// 824 is row 76 of 附件1 (周国强, 住建局, 交通产业集团, 12月底前); 002 line
// 251 is 茅敏勇's 分工; 003 line 21 is 表1 row 1 (GDP年均增长率); 002 line
// 307 is 开发区's row of the 上市 quota table.

const (
	seed004 = "004_07f1fbb038e9b517.txt"
	seed002 = "002_2722b5f0afb84519.txt"
	seed003 = "003_e36ce3d0067d6079.txt"
	seed000 = "000_1777fef5a1a94697.txt"
	seed001 = "001_fb6daadb09dca042.txt"
)

func TestListTools(t *testing.T) {
	cs := connect(t, seedServer(t, nil))
	res, err := cs.ListTools(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ask", "division_of_labour", "due_between", "indicator", "overdue", "quota", "search", "task", "tasks_of_leader", "tasks_of_unit"}
	var got []string
	for _, tool := range res.Tools {
		got = append(got, tool.Name)
		if tool.Annotations == nil || !tool.Annotations.ReadOnlyHint {
			t.Errorf("%s: not annotated read-only", tool.Name)
		}
		if tool.OutputSchema == nil || tool.Description == "" {
			t.Errorf("%s: output schema %v, description %q", tool.Name, tool.OutputSchema, tool.Description)
		}
		in, _ := tool.InputSchema.(map[string]any)
		if in["type"] != "object" {
			t.Errorf("%s: input schema %v, want an object", tool.Name, tool.InputSchema)
		}
		if tool.Name == "tasks_of_unit" {
			role := in["properties"].(map[string]any)["role"].(map[string]any)
			if e, _ := role["enum"].([]any); len(e) != 3 || role["default"] != "any" {
				t.Errorf("tasks_of_unit role schema = %v, want enum lead/co/any, default any", role)
			}
			if req, _ := in["required"].([]any); !slices.Equal(req, []any{"unit"}) {
				t.Errorf("tasks_of_unit required = %v, want [unit]", req)
			}
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("tools = %v, want %v", got, want)
	}
}

func TestTask(t *testing.T) {
	cs := connect(t, seedServer(t, nil))

	got := call[TaskOut](t, cs, "task", map[string]any{"number": 76})
	r := got.Task
	if got.NotFound || r == nil {
		t.Fatalf("task 76: %+v", got)
	}
	if r.Table != "key_tasks" || r.TableTitle != "2020年市政府重点工作任务分解表" ||
		!slices.Equal(r.LeadLeaders, []string{"周国强"}) || !slices.Equal(r.LeadUnits, []string{"住建局"}) ||
		!slices.Equal(r.CoUnits, []string{"交通产业集团"}) || r.DeadlineText != "12月底前" || r.Due != "2020-12-31" ||
		!strings.Contains(r.Text, "新增停车泊位420个") {
		t.Errorf("task 76 = %+v", r)
	}
	if want := (Source{File: seed004, Line: 824, Table: "key_tasks", Title: "2020年市政府重点工作任务分解表", Row: 76}); r.Source != want {
		t.Errorf("task 76 source = %+v, want %+v", r.Source, want)
	}
	if r.Status != nil {
		t.Errorf("task 76 status = %+v without a status source, want none", r.Status)
	}
	var also []string
	for _, a := range got.AlsoIn {
		also = append(also, a.ID)
	}
	if !slices.Equal(also, []string{"nantong_2019", "measures_2019"}) {
		t.Errorf("task 76 also_in = %v, want the 2019 list and the measures", also)
	}

	tests := []struct {
		name     string
		args     map[string]any
		table    string
		leaders  []string
		units    []string
		co       []string
		line     int
		notFound string // part of the message
	}{
		{"table by word", map[string]any{"number": 12, "table": "实事"}, "people_projects", []string{"黄静"}, []string{"卫健委", "正余镇", "四甲镇"}, []string{"民政局", "保障房集团"}, 1889, ""},
		{"table by id", map[string]any{"number": 76, "table": "key_tasks"}, "key_tasks", []string{"周国强"}, []string{"住建局"}, []string{"交通产业集团"}, 824, ""},
		{"number past the end", map[string]any{"number": 174, "table": "key_tasks"}, "", nil, nil, nil, 0, "共173项"},
		{"unknown table", map[string]any{"number": 12, "table": "年度考核表"}, "", nil, nil, nil, 0, "没有名为“年度考核表”的任务表"},
		{"number in no table", map[string]any{"number": 9999}, "", nil, nil, nil, 0, "没有任何任务表有第9999项"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := call[TaskOut](t, cs, "task", tt.args)
			if tt.notFound != "" {
				if !got.NotFound || got.Task != nil || !strings.Contains(got.Message, tt.notFound) {
					t.Errorf("task(%v) = %+v, want not found %q", tt.args, got, tt.notFound)
				}
				return
			}
			r := got.Task
			if r == nil || r.Table != tt.table || !slices.Equal(r.LeadLeaders, tt.leaders) || !slices.Equal(r.LeadUnits, tt.units) ||
				!slices.Equal(r.CoUnits, tt.co) || r.Source.Line != tt.line || r.Source.File != seed004 {
				t.Errorf("task(%v) = %+v", tt.args, r)
			}
		})
	}

	// A 2019 task carries the progress its document records.
	n := call[TaskOut](t, cs, "task", map[string]any{"number": 76, "table": "nantong_2019"}).Task
	if n == nil || n.Source.File != seed001 || !strings.Contains(n.Progress, "林木覆盖率为25.13%") {
		t.Errorf("nantong task 76 = %+v", n)
	}
	if msg := callErr(t, cs, "task", map[string]any{"number": 0}); !strings.Contains(msg, "number 0") {
		t.Errorf("task 0 error = %q", msg)
	}
}

func TestTaskStatus(t *testing.T) {
	at := time.Date(2020, 9, 3, 10, 0, 0, 0, kb.Location)
	st := fakeStatus{{table: kb.KeyTasks, no: 76}: {Table: kb.KeyTasks, No: 76, State: kb.Done, Unit: "住建局", Note: "已验收", At: at}}
	cs := connect(t, seedServer(t, st.lookup))
	done := call[TaskOut](t, cs, "task", map[string]any{"number": 76}).Task
	want := Status{Reported: true, State: "已完成", Label: "已完成", Note: "已验收", Unit: "住建局", ReportedAt: "2020-09-03T10:00:00+08:00"}
	if done == nil || done.Status == nil || *done.Status != want {
		t.Errorf("task 76 status = %+v, want %+v", done.Status, want)
	}
	open := call[TaskOut](t, cs, "task", map[string]any{"number": 77}).Task
	if open == nil || open.Status == nil || *open.Status != (Status{State: "未开始", Label: "未开始"}) {
		t.Errorf("task 77 status = %+v, want 未开始 with no report", open.Status)
	}
}
