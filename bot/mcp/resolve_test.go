package mcp

import (
	"slices"
	"testing"
)

func TestResolveTable(t *testing.T) {
	b := seedBase(t)
	tests := []struct {
		arg        string
		want       string   // table id, "" for not found
		candidates []string // when not found
	}{
		{"key_tasks", "key_tasks", nil},
		{"KEY_TASKS", "key_tasks", nil},
		{"2020年市政府重点工作任务分解表", "key_tasks", nil},
		{"重点工作", "key_tasks", nil},
		{"实事", "people_projects", nil},
		{"民生实事项目", "people_projects", nil},
		{"南通", "nantong_2019", nil},
		{"行动方案", "measures_2019", nil},
		{"2020", "", []string{"key_tasks", "people_projects"}},
		{"年度考核表", "", nil},
	}
	for _, tt := range tests {
		got, m, ok := resolveTable(b, tt.arg)
		if ok != (tt.want != "") || string(got.ID) != tt.want {
			t.Errorf("resolveTable(%q) = %q, %v; want %q", tt.arg, got.ID, ok, tt.want)
		}
		if tt.want == "" && (!m.NotFound || m.Message == "" || (tt.candidates != nil && !slices.Equal(m.Candidates, tt.candidates))) {
			t.Errorf("resolveTable(%q) miss = %+v, want candidates %v", tt.arg, m, tt.candidates)
		}
	}
}

func TestNearest(t *testing.T) {
	pool := []string{"交通局", "交通产业集团", "住建局", "城管局", "区3岁以下婴幼儿照护服务发展工作联席会议其他成员单位", "周国强", "周杰", "茅敏勇"}
	tests := []struct {
		q    string
		want []string
	}{
		{"交通委员会", []string{"交通局", "交通产业集团"}},
		{"周国", []string{"周国强", "周杰"}},
		{"茅民勇", []string{"茅敏勇"}},
		{"住房局", []string{"住建局"}},
		{"火星", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := nearest(tt.q, pool, maxCandidates); !slices.Equal(got, tt.want) {
			t.Errorf("nearest(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}
