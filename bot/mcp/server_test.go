package mcp

import (
	"sync/atomic"
	"testing"

	"duban/handlers"
	"duban/kb"
)

// TestReload checks that every call asks Config.Handler, so a knowledge
// base that `duban serve` swaps on reload answers the next call.
func TestReload(t *testing.T) {
	var cur atomic.Pointer[handlers.Handler]
	cur.Store(handlers.New(seedBase(t), handlers.Config{}))
	s, err := New(Config{Handler: cur.Load})
	if err != nil {
		t.Fatal(err)
	}
	cs := connect(t, s)
	if got := call[TaskOut](t, cs, "task", map[string]any{"number": 76}).Task; got == nil || got.LeadLeaders[0] != "周国强" {
		t.Fatalf("before reload: %+v", got)
	}

	// A folder where the row names another leader, as an edited document would.
	b, err := kb.New(kb.Contents{
		Tables:  []kb.TableInfo{{ID: kb.KeyTasks, Kind: kb.KindKeyTasks, Title: "重点工作任务分解表", Doc: "edited.txt", Rows: 1}},
		Records: []kb.Record{{Doc: "edited.txt", Table: kb.KeyTasks, No: 76, Text: "停车泊位", LeadLeaders: []string{"张三"}, LeadUnits: []string{"住建局"}, Source: kb.Source{File: "edited.txt", Line: 3, Row: 1}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.WaitIndexed(); b.Close() })
	cur.Store(handlers.New(b, handlers.Config{}))
	got := call[TaskOut](t, cs, "task", map[string]any{"number": 76}).Task
	if got == nil || got.LeadLeaders[0] != "张三" || got.Source.File != "edited.txt" || got.TableTitle != "重点工作任务分解表" {
		t.Errorf("after reload: %+v", got)
	}
}
