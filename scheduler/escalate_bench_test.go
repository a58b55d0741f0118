package scheduler

import "testing"

// BenchmarkPlanForRunEscalated is BenchmarkPlanForRun with escalation to a
// supervision chat after 3 and 10 days: on 1 July half the tasks are red.
func BenchmarkPlanForRunEscalated(b *testing.B) {
	s := benchSchedulerWith(b, Config{Escalate: Escalation{AfterDays: []int{3, 10}, Chat: "群0"}}, &fakePusher{}, nil)
	now := at(2020, 7, 1)
	esc := 0
	for _, p := range s.plan(now, s.allRules(), false) {
		for _, t := range p.Tasks {
			if t.Role == RoleEscalate {
				esc++
			}
		}
	}
	b.ReportMetric(float64(esc), "escalations")
	b.ResetTimer()
	for b.Loop() {
		s.plan(now, s.allRules(), false)
	}
}
