package dashboard

import (
	"context"
	"sync"
	"testing"
	"time"

	"duban/kb"
	"duban/kb/ingest"
	"duban/kb/ingest/seedtest"
	"duban/progress"
)

var (
	seedOnce sync.Once
	seedBase *kb.Base
	seedErr  error
)

// seeds loads the seed documents once for every test of the package.
func seeds(t testing.TB) *kb.Base {
	t.Helper()
	dir := seedtest.Dir(t)
	seedOnce.Do(func() {
		seedBase, _, seedErr = ingest.LoadDir(context.Background(), dir)
	})
	if seedErr != nil && seedBase == nil {
		t.Fatalf("load seeds %s: %v", dir, seedErr)
	}
	return seedBase
}

func day(m time.Month, d, h int) time.Time { return time.Date(2020, m, d, h, 0, 0, 0, kb.Location) }

// journal is a hand-written fake of the tracker's History: entries per
// task, numbered in order as the store numbers them.
type journal map[progress.Key][]progress.Entry

func (j journal) add(t kb.Table, no int, s kb.Status) {
	k := progress.Key{Table: t, No: no}
	s.Table, s.No = t, no
	j[k] = append(j[k], progress.Entry{Seq: int64(len(j[k]) + 1), Status: s})
}

func (j journal) history(_ context.Context, t kb.Table, no int) ([]progress.Entry, error) {
	return j[progress.Key{Table: t, No: no}], nil
}

// reports is the fixture journal the figure tests count by hand:
//
//	key_tasks 76 (住建局)        已完成 9月3日
//	key_tasks 66 (住建局)        推进中 11月2日
//	key_tasks 17 (项目办, 8月底)  推进中 7月1日: still late
//	key_tasks 154 (政法委, 6月底) 已完成 6月28日
//	key_tasks 2 (交通局)         申请延期 12月1日
//	key_tasks 3 (交通局)         已完成 10月15日, withdrawn 12月25日
//	people_projects 25 (5月底)   已完成 5月20日
func reports() journal {
	j := journal{}
	j.add(kb.KeyTasks, 76, kb.Status{State: kb.Done, Unit: "住建局", User: "王科长", Chat: "住建局工作群", At: day(9, 3, 10)})
	j.add(kb.KeyTasks, 66, kb.Status{State: kb.InProgress, Note: "已完成招标，12月开工", Unit: "住建局", At: day(11, 2, 9)})
	j.add(kb.KeyTasks, 17, kb.Status{State: kb.InProgress, Note: "正在推进", Unit: "项目办", At: day(7, 1, 9)})
	j.add(kb.KeyTasks, 154, kb.Status{State: kb.Done, Unit: "政法委", At: day(6, 28, 9)})
	j.add(kb.KeyTasks, 2, kb.Status{State: kb.Extension, Extension: "2021年3月底", Unit: "交通局", At: day(12, 1, 9)})
	j.add(kb.KeyTasks, 3, kb.Status{State: kb.Done, Unit: "交通局", At: day(10, 15, 9)})
	j.add(kb.KeyTasks, 3, kb.Status{State: kb.Undone, Undoes: 1, Unit: "交通局", At: day(12, 25, 9)})
	j.add(kb.PeopleProjects, 25, kb.Status{State: kb.Done, Unit: "住建局", At: day(5, 20, 9)})
	return j
}
