package progress

import (
	"testing"

	"duban/kb"
)

func TestQuotedTask(t *testing.T) {
	tests := []struct {
		quote string
		table kb.Table
		no    int
		ok    bool
	}{
		{"🔴 重点工作第76项 推进城区道路改造工程（8月31日，逾期3天）", kb.KeyTasks, 76, true},
		{"为民办实事第12项 改造农贸市场", kb.PeopleProjects, 12, true},
		{"重点工作第76项…\n重点工作第76项 again", kb.KeyTasks, 76, true},
		{"重点工作第76项\n重点工作第77项", "", 0, false}, // a whole digest
		{"今天开会", "", 0, false},
	}
	for _, tt := range tests {
		tb, no, ok := QuotedTask(tt.quote)
		if tb != tt.table || no != tt.no || ok != tt.ok {
			t.Errorf("QuotedTask(%q) = %s, %d, %v; want %s, %d, %v", tt.quote, tb, no, ok, tt.table, tt.no, tt.ok)
		}
	}
}

func TestParseReportAbout(t *testing.T) {
	tests := []struct {
		text  string
		table kb.Table
		no    int
		state kb.State
		note  string
		ok    bool
	}{
		{"已完成，附照片", kb.KeyTasks, 76, kb.Done, "附照片", true},
		{"已完成", kb.PeopleProjects, 12, kb.Done, "", true},
		{"进展：已完成招标", kb.KeyTasks, 76, kb.InProgress, "已完成招标", true},
		{"延期到10月底", kb.KeyTasks, 76, kb.Extension, "", true},
		{"77号已完成", kb.KeyTasks, 77, kb.Done, "", true}, // names its own task
		{"完成了吗", kb.KeyTasks, 76, "", "", false},
		{"收到", kb.KeyTasks, 76, "", "", false},
	}
	for _, tt := range tests {
		r, ok := ParseReportAbout(tt.text, kb.KeyTasks, 76)
		if tt.table == kb.PeopleProjects {
			r, ok = ParseReportAbout(tt.text, kb.PeopleProjects, 12)
		}
		if ok != tt.ok {
			t.Errorf("ParseReportAbout(%q) ok = %v, want %v", tt.text, ok, tt.ok)
			continue
		}
		if ok && (r.State != tt.state || r.Note != tt.note || r.Nos[0] != tt.no || r.Table != tt.table || !r.Scoped && tt.no != 77) {
			t.Errorf("ParseReportAbout(%q) = %+v, want %s %d %s %q", tt.text, r, tt.table, tt.no, tt.state, tt.note)
		}
	}
}
