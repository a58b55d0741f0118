package progress

import (
	"sync"
	"testing"
	"time"

	"duban/kb"
	"duban/store/memstore"
)

// fixtureBase is a small knowledge base written for these tests: 76 is a
// key task of 住建局 and a people's project of 交通局; 5 is led by 各区镇.
func fixtureBase(t testing.TB) *kb.Base {
	t.Helper()
	src := func(line int) kb.Source { return kb.Source{File: "fixture.txt", Line: line} }
	recs := []kb.Record{
		{Table: kb.KeyTasks, No: 5, Section: "一、城乡建设", Text: "推进农村人居环境整治", LeadLeaders: []string{"李四"}, LeadUnits: []string{"各区镇"}, DeadlineText: "全年", Due: kb.NewDate(2020, 12, 31), Source: src(5)},
		{Table: kb.KeyTasks, No: 76, Section: "一、城乡建设", Text: "推进城区道路改造工程，完成主干道白改黑", LeadLeaders: []string{"张三"}, LeadUnits: []string{"住建局"}, CoUnits: []string{"交通局"}, DeadlineText: "8月\n底前", Due: kb.NewDate(2020, 8, 31), Source: src(76)},
		{Table: kb.KeyTasks, No: 77, Section: "一、城乡建设", Text: "建设停车场", LeadLeaders: []string{"张三"}, LeadUnits: []string{"交通运输局", "住建局"}, DeadlineText: "长期", Source: src(77)},
		{Table: kb.PeopleProjects, No: 12, Section: "教育", Text: "新建幼儿园3所", LeadUnits: []string{"教体局"}, DeadlineText: "12月底前", Due: kb.NewDate(2020, 12, 31), Source: src(112)},
		{Table: kb.PeopleProjects, No: 76, Section: "交通", Text: "新辟公交线路", LeadUnits: []string{"住建局"}, DeadlineText: "10月底前", Due: kb.NewDate(2020, 10, 31), Source: src(176)},
		{Table: kb.Nantong2019, No: 76, Text: "2019年的任务", Source: src(276)},
	}
	b, err := kb.New(kb.Contents{Records: recs})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// clock is a settable clock safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newClock() *clock { return &clock{t: time.Date(2020, 9, 3, 10, 0, 0, 0, kb.Location)} }

func openMem(t testing.TB, dir string) *memstore.Store {
	t.Helper()
	st, err := memstore.Open(memstore.Config{Dir: dir, BatchDelay: -1, SweepEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	return st
}
