package scheduler

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"duban/kb"
)

// fakeStatus is a settable Status hook.
type fakeStatus struct {
	mu sync.Mutex
	m  map[string]kb.Status
}

func (f *fakeStatus) set(t kb.Table, no int, s kb.Status) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = map[string]kb.Status{}
	}
	s.Table, s.No = t, no
	f.m[string(t)+"#"+itoa(no)] = s
}

func (f *fakeStatus) clear(t kb.Table, no int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.m, string(t)+"#"+itoa(no))
}

func (f *fakeStatus) lookup(t kb.Table, no int) (kb.Status, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.m[string(t)+"#"+itoa(no)]
	return s, ok
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestPlanWithStatus(t *testing.T) {
	base := fixtureBase(t)
	st := &fakeStatus{}
	cfg := fixtureConfig()
	cfg.Status = st.lookup
	s, err := New(cfg, base, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := at(2020, 7, 6) // key tasks 1 and 2 overdue since 6-30
	has := func(ps []Push, chat, task string) bool {
		for _, x := range summary(ps)[chat] {
			if strings.HasPrefix(x, task+" ") {
				return true
			}
		}
		return false
	}
	if !has(s.Plan(now), "住建群", "key_tasks#1") {
		t.Fatal("unreported overdue task not reminded")
	}

	// Reported done: no reminder in any chat, lead or 协同.
	st.set(kb.KeyTasks, 1, kb.Status{State: kb.Done, Unit: "住建局"})
	for _, chat := range []string{"住建群", "交通群", "开发区群"} {
		if has(s.Plan(now), chat, "key_tasks#1") {
			t.Errorf("done task still reminded in %s", chat)
		}
	}
	if !has(s.Plan(now), "区镇总群", "key_tasks#2") {
		t.Error("another task's reminder stopped")
	}

	// An extension request and progress show in the digest line.
	st.set(kb.KeyTasks, 2, kb.Status{State: kb.Extension, Extension: "9月底", Unit: "各区镇", At: time.Date(2020, 7, 1, 10, 0, 0, 0, kb.Location)})
	for _, p := range s.Plan(now) {
		if p.Chat == "区镇总群" && !strings.Contains(p.Text, "🔴 重点工作第2项 推进农村人居环境整治 6月30日 逾期6天｜申请延期至9月底（各区镇 7月1日）") {
			t.Errorf("extension not in the digest:\n%s", p.Text)
		}
	}

	// Withdrawn: reminded again.
	st.clear(kb.KeyTasks, 1)
	if !has(s.Plan(now), "住建群", "key_tasks#1") {
		t.Error("undone task not reminded again")
	}
}

func TestSummary(t *testing.T) {
	base := fixtureBase(t)
	st := &fakeStatus{}
	st.set(kb.KeyTasks, 1, kb.Status{State: kb.Done, Unit: "住建局", Note: "已验收", At: time.Date(2020, 6, 28, 10, 0, 0, 0, kb.Location)})
	cfg := fixtureConfig()
	cfg.Status = st.lookup
	cfg.LeaderSummaries = []LeaderSummary{{Leader: "张三", Chat: "住建群", Cron: "0 17 * * 5"}, {Leader: "王五", Chat: "交通群", Cron: "0 17 * * 5"}}
	c := &clock{}
	c.Set(time.Date(2020, 9, 4, 17, 0, 0, 0, kb.Location)) // a Friday
	p := &fakePusher{now: c.Now}
	s, err := New(cfg, base, p, newFakeStore(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.RunSummaries(t.Context(), c.Now())
	if err != nil || rep.Sent != 2 {
		t.Fatalf("RunSummaries = %+v, %v; want 2 sent", rep, err)
	}
	got := map[string]string{}
	for _, d := range p.deliveries() {
		got[d.chat] = d.reply.Text()
	}
	for chat, want := range map[string][]string{
		"住建群": {"督办周报（张三牵头任务，2020年9月4日）：共1项，已完成1项。", "1. 【已完成】重点工作第1项 完成老旧小区改造30个｜住建局｜时限：6月底前｜住建局 6月28日：已验收"},
		"交通群": {"共1项，未开始1项；其中逾期未完成1项。", "【未开始·逾期4天】重点工作第3项 建成城市公交枢纽｜交通局｜时限：8月底前"},
	} {
		for _, w := range want {
			if !strings.Contains(got[chat], w) {
				t.Errorf("%s summary lacks %q:\n%s", chat, w, got[chat])
			}
		}
	}
	// Once a week: a second tick (or replica) that week sends nothing, the
	// next week sends again.
	c.Set(time.Date(2020, 9, 5, 17, 0, 0, 0, kb.Location))
	if rep, err := s.RunSummaries(t.Context(), c.Now()); err != nil || rep.Sent != 0 || rep.Skipped != 2 {
		t.Fatalf("same week: %+v, %v", rep, err)
	}
	c.Set(time.Date(2020, 9, 11, 17, 0, 0, 0, kb.Location))
	if rep, err := s.RunSummaries(t.Context(), c.Now()); err != nil || rep.Sent != 2 {
		t.Fatalf("next week: %+v, %v", rep, err)
	}
}

func TestSummaryFailureRetried(t *testing.T) {
	cfg := fixtureConfig()
	cfg.LeaderSummaries = []LeaderSummary{{Leader: "张三", Chat: "住建群", Cron: "0 17 * * 5"}}
	c := &clock{}
	c.Set(time.Date(2020, 9, 4, 17, 0, 0, 0, kb.Location))
	fail := true
	p := &fakePusher{now: c.Now, fail: func(string, int) error {
		if fail {
			return errBadKey
		}
		return nil
	}}
	s, err := New(cfg, fixtureBase(t), p, newFakeStore(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := s.RunSummaries(t.Context(), c.Now()); err == nil || rep.Failed != 1 {
		t.Fatalf("failing push: %+v, %v", rep, err)
	}
	fail = false
	if rep, err := s.RunSummaries(t.Context(), c.Now()); err != nil || rep.Sent != 1 {
		t.Fatalf("retry: %+v, %v", rep, err)
	}
}

func TestSummaryConfigErrors(t *testing.T) {
	cfg := fixtureConfig()
	cfg.LeaderSummaries = []LeaderSummary{{Leader: "", Chat: "没有这个群", Cron: "0 17 * *"}}
	_, err := New(cfg, fixtureBase(t), nil, nil)
	for _, w := range []string{"leader_summaries[0].leader: missing", `leader_summaries[0].chat: "没有这个群"`, "leader_summaries[0].cron"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("New error %v lacks %q", err, w)
		}
	}
}
