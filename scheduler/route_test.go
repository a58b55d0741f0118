package scheduler

import (
	"reflect"
	"testing"

	"duban/kb"
)

// TestRouteReasons: who gets a copy of a task and why.
func TestRouteReasons(t *testing.T) {
	chats := []Chat{
		{Name: "住建群", Units: []string{"住建局"}},
		{Name: "交通群", Units: []string{"交通运输局"}},
		{Name: "正余群", Units: []string{"正余镇"}},
		{Name: "开发区群", Units: []string{"开发区"}},
		{Name: "区镇总群", Units: []string{"各区镇"}},
	}
	rt := newRouter(chats)
	tests := []struct {
		name     string
		lead, co []string
		want     routing // chat indices: 住建, 交通, 正余, 开发区, 区镇总
	}{
		{"named lead and co-units", []string{"住建局"}, []string{"交通局", "开发区"},
			routing{lead: []int{0}, co: []int{1, 3}}},
		{"a collective co-unit reaches its members only as coMembers", []string{"交通局"}, []string{"各部门"},
			routing{lead: []int{1}, coMembers: []int{0}}},
		{"各有关部门 and 相关部门 alike", []string{"住建局"}, []string{"各有关部门", "相关部门"},
			routing{lead: []int{0}, coMembers: []int{1}}},
		{"a collective lead reaches each member (各部门共同) and the chat listing it", []string{"各区镇"}, nil,
			routing{lead: []int{2, 3, 4}, shared: []int{2, 3}}},
		{"a unit both named and a member is its own lead", []string{"正余镇", "各区镇"}, nil,
			routing{lead: []int{2, 3, 4}, shared: []int{3}}},
		{"a named co-unit that also leads gets no copy", []string{"住建局", "交通局"}, []string{"交通局"},
			routing{lead: []int{0, 1}}},
		{"a co-unit chat listing the collective itself is named", []string{"住建局"}, []string{"各区镇"},
			routing{lead: []int{0}, co: []int{4}, coMembers: []int{2, 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rt.task(&kb.Record{LeadUnits: tt.lead, CoUnits: tt.co})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("route(lead %v, co %v) = %+v, want %+v", tt.lead, tt.co, got, tt.want)
			}
		})
	}
}

// TestOverdueDays: the cadence the dashboard reads, table by table.
func TestOverdueDays(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		want []int
	}{
		{"weekly", Rule{OverdueEveryDays: 7}, []int{1, 8, 15, 22, 29, 36}},
		{"once", Rule{}, []int{1}},
		{"decaying", Rule{OverdueIntervals: []int{1, 7, 14, 30}}, []int{1, 8, 22, 52, 82, 112}},
		{"decaying, capped at 4", Rule{OverdueIntervals: []int{1, 7, 14, 30}, OverdueMax: 4}, []int{1, 8, 22, 52}},
		{"first after three days", Rule{OverdueIntervals: []int{3, 10}}, []int{3, 13, 23, 33, 43, 53}},
		{"intervals win over every", Rule{OverdueEveryDays: 7, OverdueIntervals: []int{2}}, []int{2, 4, 6, 8, 10, 12}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.rule.OverdueDays(6); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("OverdueDays(6) = %v, want %v", got, tt.want)
			}
			// current agrees with OverdueDays on every day of the span.
			r := prepare(tt.rule)
			days := tt.rule.OverdueDays(6)
			for d := 1; d <= days[len(days)-1]; d++ {
				m := r.current(1000, 1000+d)
				k := 0
				for k < len(days) && days[k] <= d {
					k++
				}
				if k == 0 {
					if m.over {
						t.Errorf("day %d: %s, want no overdue reminder yet", d, m.key())
					}
					continue
				}
				if !m.over || m.days != k || m.start != 1000+days[k-1] {
					t.Errorf("day %d: %+v, want overdue-%d from day %d", d, m, k, days[k-1])
				}
			}
		})
	}
}
