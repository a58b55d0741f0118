package mcp

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"duban/kb"
)

// keys returns the (table, no) of each task, in order.
func keys(ts []Task) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Table+"#"+itoa(t.No))
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// recordKeys is keys over kb records, sorted as the tools sort.
func recordKeys(b *kb.Base, recs []kb.Record) []string {
	recs = slices.Clone(recs)
	sortRecords(b, recs)
	var out []string
	for _, r := range recs {
		out = append(out, string(r.Table)+"#"+itoa(r.No))
	}
	return out
}

func TestTasksOfUnit(t *testing.T) {
	b := seedBase(t)
	cs := connect(t, seedServer(t, nil))

	// Every alias reaches the same unit, and the list is the whole of what
	// the knowledge base holds for it, not a top-k.
	for _, name := range []string{"交通局", "交通运输局", "市交通运输局", "区交通局"} {
		got := call[TaskList](t, cs, "tasks_of_unit", map[string]any{"unit": name, "role": "lead"})
		if got.Unit != "交通局" || got.NotFound {
			t.Fatalf("tasks_of_unit(%s) unit = %q, not_found %v", name, got.Unit, got.NotFound)
		}
		if want := recordKeys(b, b.ByUnit("交通局", true)); !slices.Equal(keys(got.Tasks), want) || got.Count != len(want) {
			t.Errorf("tasks_of_unit(%s, lead) = %v, want %v", name, keys(got.Tasks), want)
		}
		for _, task := range got.Tasks {
			if !slices.Contains(task.LeadUnits, "交通局") || task.Role != "lead" {
				t.Errorf("%s#%d: lead units %v, role %q", task.Table, task.No, task.LeadUnits, task.Role)
			}
		}
	}

	// 住建局 leads key task 76 (004 line 824) and co-operates on others.
	lead := call[TaskList](t, cs, "tasks_of_unit", map[string]any{"unit": "住房和城乡建设局", "role": "lead"})
	co := call[TaskList](t, cs, "tasks_of_unit", map[string]any{"unit": "住建局", "role": "co"})
	anyRole := call[TaskList](t, cs, "tasks_of_unit", map[string]any{"unit": "住建局"})
	if !slices.Contains(keys(lead.Tasks), "key_tasks#76") {
		t.Errorf("住建局 leads %v, want key_tasks#76 among them", keys(lead.Tasks))
	}
	for _, task := range co.Tasks {
		if !slices.Contains(task.CoUnits, "住建局") || task.Role != "co" {
			t.Errorf("住建局 co %s#%d: co units %v, role %q", task.Table, task.No, task.CoUnits, task.Role)
		}
	}
	if anyRole.Count != lead.Count+co.Count || lead.Count == 0 || co.Count == 0 {
		t.Errorf("住建局 any = %d, want lead %d + co %d", anyRole.Count, lead.Count, co.Count)
	}

	// A due window keeps only tasks dated inside it.
	win := call[TaskList](t, cs, "tasks_of_unit", map[string]any{"unit": "住建局", "due_from": "2020-01-01", "due_to": "2020-06-30"})
	for _, task := range win.Tasks {
		if task.Due < "2020-01-01" || task.Due > "2020-06-30" {
			t.Errorf("due window: %s#%d due %q", task.Table, task.No, task.Due)
		}
	}
	if win.Count == 0 || win.Count >= anyRole.Count {
		t.Errorf("due window kept %d of %d", win.Count, anyRole.Count)
	}

	// 各区镇 carries out measures locally (各区镇落实) besides leading tasks.
	towns := call[TaskList](t, cs, "tasks_of_unit", map[string]any{"unit": "各区镇"})
	roles := map[string]int{}
	for _, task := range towns.Tasks {
		roles[task.Role]++
		if task.Role == "implementer" && !slices.Contains(task.Implementers, "各区镇") {
			t.Errorf("各区镇 implementer of %s#%d: implementers %v", task.Table, task.No, task.Implementers)
		}
	}
	if roles["implementer"] == 0 || roles["lead"] == 0 {
		t.Errorf("各区镇 roles = %v, want lead and implementer tasks", roles)
	}

	miss := call[TaskList](t, cs, "tasks_of_unit", map[string]any{"unit": "交通委员会"})
	if !miss.NotFound || miss.Count != 0 || len(miss.Candidates) == 0 || miss.Candidates[0] != "交通局" || len(miss.Candidates) > 3 {
		t.Errorf("unknown unit = %+v, want not found with 交通局 first of at most 3", miss.Miss)
	}
	if msg := callErr(t, cs, "tasks_of_unit", map[string]any{"unit": "住建局", "status": "open"}); !strings.Contains(msg, "statuses are not available") {
		t.Errorf("status filter without statuses: %q", msg)
	}
	if msg := callErr(t, cs, "tasks_of_unit", map[string]any{"unit": "住建局", "role": "owner"}); !strings.Contains(msg, "role") {
		t.Errorf("bad role: %q", msg)
	}
	if msg := callErr(t, cs, "tasks_of_unit", map[string]any{"unit": "住建局", "due_to": "8月底"}); !strings.Contains(msg, "due_to") {
		t.Errorf("bad date: %q", msg)
	}
}

func TestTasksOfUnitStatus(t *testing.T) {
	st := fakeStatus{
		{table: kb.KeyTasks, no: 76}: {State: kb.Done, Unit: "住建局"},
		{table: kb.KeyTasks, no: 77}: {State: kb.InProgress, Unit: "住建局", Note: "已完成招标"},
		{table: kb.KeyTasks, no: 78}: {State: kb.Extension, Unit: "住建局", Extension: "10月底"},
	}
	cs := connect(t, seedServer(t, st.lookup))
	for _, tt := range []struct {
		status string
		want   []string
	}{
		{"in_progress", []string{"key_tasks#77"}},
		{"extension", []string{"key_tasks#78"}},
	} {
		got := call[TaskList](t, cs, "due_between", map[string]any{"from": "2020-01-01", "to": "2020-12-31", "status": tt.status})
		if !slices.Equal(keys(got.Tasks), tt.want) {
			t.Errorf("due in 2020, status %s = %v, want %v", tt.status, keys(got.Tasks), tt.want)
		}
	}
	ext := call[TaskOut](t, cs, "task", map[string]any{"number": 78}).Task
	if ext == nil || ext.Status == nil || ext.Status.Label != "申请延期至10月底" {
		t.Errorf("task 78 status = %+v, want 申请延期至10月底", ext)
	}
	done := call[TaskList](t, cs, "tasks_of_unit", map[string]any{"unit": "住建局", "role": "lead", "status": "done"})
	if !slices.Equal(keys(done.Tasks), []string{"key_tasks#76"}) {
		t.Errorf("住建局 done = %v, want key_tasks#76", keys(done.Tasks))
	}
	all := call[TaskList](t, cs, "tasks_of_unit", map[string]any{"unit": "住建局", "role": "lead"})
	open := call[TaskList](t, cs, "tasks_of_unit", map[string]any{"unit": "住建局", "role": "lead", "status": "open"})
	if open.Count != all.Count-1 || slices.Contains(keys(open.Tasks), "key_tasks#76") {
		t.Errorf("住建局 open = %d of %d, want all but key_tasks#76", open.Count, all.Count)
	}
	notStarted := call[TaskList](t, cs, "tasks_of_unit", map[string]any{"unit": "住建局", "role": "lead", "status": "not_started"})
	if slices.Contains(keys(notStarted.Tasks), "key_tasks#76") || notStarted.Count == 0 || notStarted.Count > open.Count {
		t.Errorf("住建局 not started = %v", keys(notStarted.Tasks))
	}
}

func TestTasksOfLeader(t *testing.T) {
	b := seedBase(t)
	cs := connect(t, seedServer(t, nil))
	got := call[TaskList](t, cs, "tasks_of_leader", map[string]any{"leader": "周 国强"})
	if got.Leader != "周国强" || !slices.Equal(keys(got.Tasks), recordKeys(b, b.ByLeader("周国强"))) {
		t.Errorf("tasks_of_leader(周国强) = %v", keys(got.Tasks))
	}
	if !slices.Contains(keys(got.Tasks), "key_tasks#76") {
		t.Errorf("周国强 leads %v, want key_tasks#76 among them", keys(got.Tasks))
	}
	scoped := call[TaskList](t, cs, "tasks_of_leader", map[string]any{"leader": "周国强", "scope": "实事"})
	for _, task := range scoped.Tasks {
		if task.Table != "people_projects" || !slices.Contains(task.LeadLeaders, "周国强") {
			t.Errorf("scoped: %s#%d leaders %v", task.Table, task.No, task.LeadLeaders)
		}
	}
	if scoped.Count == 0 || scoped.Count >= got.Count {
		t.Errorf("scope 实事 kept %d of %d", scoped.Count, got.Count)
	}
	miss := call[TaskList](t, cs, "tasks_of_leader", map[string]any{"leader": "周国"})
	if !miss.NotFound || len(miss.Candidates) == 0 || miss.Candidates[0] != "周国强" {
		t.Errorf("unknown leader = %+v, want 周国强 first", miss.Miss)
	}
	if bad := call[TaskList](t, cs, "tasks_of_leader", map[string]any{"leader": "周国强", "scope": "年度考核表"}); !bad.NotFound {
		t.Errorf("unknown scope = %+v, want not found", bad.Miss)
	}
}

func TestDueBetween(t *testing.T) {
	cs := connect(t, seedServer(t, nil))
	// Only row 17 of 附件1 (004 line 205: 中天绿色精品钢项目一期工程8月底前开工) is due in August 2020.
	aug := call[TaskList](t, cs, "due_between", map[string]any{"from": "2020-08-01", "to": "2020-08-31"})
	if !slices.Equal(keys(aug.Tasks), []string{"key_tasks#17"}) {
		t.Fatalf("due in August 2020 = %v, want key_tasks#17", keys(aug.Tasks))
	}
	if r := aug.Tasks[0]; r.DeadlineText != "8月底前" || r.Due != "2020-08-31" || r.Source.Line != 205 || !slices.Equal(r.LeadUnits, []string{"项目办"}) {
		t.Errorf("key task 17 = %+v", r)
	}
	h1 := call[TaskList](t, cs, "due_between", map[string]any{"from": "2020-01-01", "to": "2020-06-30", "scope": "key_tasks"})
	prev := ""
	for _, r := range h1.Tasks {
		if r.Table != "key_tasks" || r.Due < "2020-01-01" || r.Due > "2020-06-30" || r.Due < prev {
			t.Errorf("first half 2020: %s#%d due %s after %s", r.Table, r.No, r.Due, prev)
		}
		prev = r.Due
	}
	unit := call[TaskList](t, cs, "due_between", map[string]any{"from": "2020-01-01", "to": "2020-12-31", "unit": "交通运输局"})
	for _, r := range unit.Tasks {
		if !slices.Contains(r.LeadUnits, "交通局") && !slices.Contains(r.CoUnits, "交通局") {
			t.Errorf("交通局 window: %s#%d leads %v co %v", r.Table, r.No, r.LeadUnits, r.CoUnits)
		}
	}
	if unit.Unit != "交通局" || unit.Count == 0 {
		t.Errorf("交通局 in 2020: unit %q, %d tasks", unit.Unit, unit.Count)
	}
	if msg := callErr(t, cs, "due_between", map[string]any{"from": "2020-09-01", "to": "2020-08-01"}); !strings.Contains(msg, "before") {
		t.Errorf("reversed window: %q", msg)
	}
}

func TestOverdue(t *testing.T) {
	cs := connect(t, seedServer(t, nil))
	// Before June 2020: the 2019 measures dated 今年底 (2019-12-31) and 实事
	// 25 (科技馆开馆运行, 5月底前).
	got := call[TaskList](t, cs, "overdue", map[string]any{"as_of": "2020-06-01"})
	if got.AsOf != "2020-06-01" || got.Note == "" || got.Count == 0 {
		t.Fatalf("overdue = %+v", got)
	}
	for _, r := range got.Tasks {
		if r.Due >= "2020-06-01" {
			t.Errorf("overdue %s#%d due %s", r.Table, r.No, r.Due)
		}
		if r.Due == "2019-12-31" && r.DaysOverdue != 153 {
			t.Errorf("%s#%d: %d days overdue, want 153 (2019-12-31 to 2020-06-01)", r.Table, r.No, r.DaysOverdue)
		}
	}
	if !slices.Contains(keys(got.Tasks), "people_projects#25") {
		t.Errorf("overdue = %v, want people_projects#25 among them", keys(got.Tasks))
	}
	first := got.Tasks[0]
	st := fakeStatus{{table: kb.Table(first.Table), no: first.No}: {State: kb.Done}}
	cs2 := connect(t, seedServer(t, st.lookup))
	left := call[TaskList](t, cs2, "overdue", map[string]any{"as_of": "2020-06-01"})
	if left.Count != got.Count-1 || slices.Contains(keys(left.Tasks), first.Table+"#"+itoa(first.No)) || left.Note != "" {
		t.Errorf("overdue with %s#%d done = %v (note %q), want it left out", first.Table, first.No, keys(left.Tasks), left.Note)
	}
}
