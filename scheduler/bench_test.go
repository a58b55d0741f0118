package scheduler

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"duban/kb"
)

// benchScheduler generates 10,000 dated tasks over 1,000 chats: 700
// departments and 300 towns, one unit per chat; each task has one or two
// lead units and up to three co-units, 3% of tasks name 各区镇 as co-unit
// and 1% lead as 各部门.
func benchScheduler(b *testing.B) *Scheduler {
	b.Helper()
	return benchSchedulerWith(b, Config{}, &fakePusher{}, nil)
}

// benchSchedulerWith is benchScheduler with cfg's knobs, a pusher and a
// store.
func benchSchedulerWith(b *testing.B, cfg Config, p Pusher, st Store) *Scheduler {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	unit := func(i int) string {
		if i < 700 {
			return fmt.Sprintf("第%d局", i)
		}
		return fmt.Sprintf("第%d镇", i)
	}
	chats := make([]Chat, 1000)
	for i := range chats {
		chats[i] = Chat{Name: fmt.Sprintf("群%d", i), Type: WeComWebhook, Units: []string{unit(i)},
			MentionMobiles: []string{"13800000000"}, HasCredentials: true}
	}
	recs := make([]kb.Record, 10000)
	for i := range recs {
		r := kb.Record{Table: kb.KeyTasks, No: i + 1, Text: fmt.Sprintf("第%d项重点工作任务，按期完成建设目标。", i+1),
			LeadLeaders: []string{"张三"}, DeadlineText: "年内",
			Due:    kb.NewDate(2020, time.Month(1+rng.IntN(12)), 1+rng.IntN(28)),
			Source: kb.Source{File: "bench.txt", Line: i + 1}}
		r.LeadUnits = []string{unit(rng.IntN(1000))}
		if rng.IntN(2) == 0 {
			r.LeadUnits = append(r.LeadUnits, unit(rng.IntN(1000)))
		}
		if rng.IntN(100) == 0 {
			r.LeadUnits = []string{"各部门"}
		}
		for range rng.IntN(4) {
			r.CoUnits = append(r.CoUnits, unit(rng.IntN(1000)))
		}
		if rng.IntN(100) < 3 {
			r.CoUnits = append(r.CoUnits, "各区镇")
		}
		recs[i] = r
	}
	base, err := kb.New(kb.Contents{Records: recs})
	if err != nil {
		b.Fatal(err)
	}
	cfg.Chats = chats
	cfg.Reminders = []Rule{{Cron: "0 9 * * 1-5", DaysBefore: []int{30, 7, 1}, OverdueEveryDays: 7, CoUnits: true}}
	// The fake's senders render and limit as a WeCom webhook does.
	s, err := New(cfg, base, p, st)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkPlan is one tick's planning, texts rendered (remind --dry-run).
func BenchmarkPlan(b *testing.B) {
	s := benchScheduler(b)
	now := at(2020, 7, 1)
	n, tasks := 0, 0
	for _, p := range s.Plan(now) {
		n++
		tasks += len(p.Tasks)
	}
	b.ReportMetric(float64(n), "pushes")
	b.ReportMetric(float64(tasks), "reminders")
	b.ResetTimer()
	for b.Loop() {
		s.Plan(now)
	}
}

// BenchmarkPlanForRun is the planning Run does before the ledger decides
// what to render.
func BenchmarkPlanForRun(b *testing.B) {
	s := benchScheduler(b)
	now := at(2020, 7, 1)
	b.ResetTimer()
	for b.Loop() {
		s.plan(now, s.allRules(), false)
	}
}
