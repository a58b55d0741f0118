package report

import (
	"context"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
	"duban/progress"
	"duban/store/memstore"
)

// forgetful is a dedup store that has lost its keys (a failover, a flush):
// every message looks new, so only the journal can keep a report single.
type forgetful struct{}

func (forgetful) FirstSeen(context.Context, string, time.Duration) (bool, error) { return true, nil }

// TestReportOnceWithoutDedup delivers the same report, and then the same
// undo, to three replicas that share the journal but whose dedup forgot
// the message: the journal holds one report and one undo.
func TestReportOnceWithoutDedup(t *testing.T) {
	st, err := memstore.Open(memstore.Config{Dir: t.TempDir(), BatchDelay: -1, SweepEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &reportClock{t: time.Date(2020, 9, 3, 10, 0, 0, 0, kb.Location)}
	b := reportBase(t)
	units := func(string) []string { return []string{"住建局"} }
	var replicas []bot.HandlerFunc
	for range 3 {
		tr := progress.New(st, progress.Config{Now: c.Now})
		hd := handlers.New(b, handlers.Config{Now: c.Now, Status: tr.Lookup})
		replicas = append(replicas, bot.Chain(bot.Answer(func() *handlers.Handler { return hd }, nil, 0, c.Now),
			Reports(tr, units, func() *kb.Base { return b }, nil, forgetful{})))
	}
	send := func(id, text string) []string {
		var out []string
		for _, h := range replicas {
			m := &bot.Message{Platform: bot.DingTalk, ID: id, ChatID: "cid-zjj", ChatType: "group", UserID: "u1", UserName: "王五", Text: text}
			r, err := h(context.Background(), m)
			if err != nil {
				t.Fatalf("%s: %v", text, err)
			}
			out = append(out, r.Text())
		}
		return out
	}
	replies := send("m1", "77号已完成")
	if !strings.Contains(replies[0], "已记录") || !strings.Contains(replies[1], "已处理过") || !strings.Contains(replies[2], "已处理过") {
		t.Errorf("report to three replicas: want recorded once, then 已处理过: %q", replies)
	}
	tr := progress.New(st, progress.Config{Now: c.Now})
	if h, err := tr.History(context.Background(), kb.KeyTasks, 77); err != nil || len(h) != 1 {
		t.Fatalf("after one report on three replicas: history %+v (%v), want one entry", h, err)
	}
	replies = send("m2", "撤销77号完成")
	// The repeats record nothing; with no other report left in force they
	// say there is nothing (more) to undo.
	if !strings.Contains(replies[0], "已撤销") || !strings.Contains(replies[0], "未报告") {
		t.Errorf("undo: %q", replies[0])
	}
	for _, r := range replies[1:] {
		if !strings.Contains(r, "未作记录") && !strings.Contains(r, "已处理过") {
			t.Errorf("undo repeated on another replica: %q, want nothing recorded", r)
		}
	}
	h, err := tr.History(context.Background(), kb.KeyTasks, 77)
	if err != nil || len(h) != 2 || h[1].State != kb.Undone {
		t.Fatalf("after one undo on three replicas: history %+v (%v), want the report and one undo", h, err)
	}
}
