package handlers

import (
	"context"
	"strings"
	"testing"
	"time"

	"duban/kb"
)

func TestDigestTasks(t *testing.T) {
	now := time.Date(2020, 12, 24, 9, 0, 0, 0, kb.Location)
	var items []DigestItem
	for i := 1; i <= 8; i++ {
		items = append(items, DigestItem{Record: digestRecord(i, kb.NewDate(2020, 12, 1+i)), Light: "red"})
	}
	r := DigestOf("住建群", items, now, DigestOptions{Unit: "住建局"})
	// Five overdue tasks are listed (the most recent); the older three are counted.
	if len(r.Tasks) != DefaultRecentOverdue {
		t.Fatalf("Tasks = %d, want one per listed line (%d)", len(r.Tasks), DefaultRecentOverdue)
	}
	if a := r.Tasks[0]; a.No != 8 || a.Due != "12月9日" || a.Light != "red" || a.Unit != "住建局" || a.Title != "推进城区道路改造工程" {
		t.Errorf("first action = %+v", a)
	}
	if !strings.Contains(r.More, "发送“住建局的任务”查看全部") {
		t.Errorf("More = %q", r.More)
	}
	r = DigestOf("督查办群", items, now, DigestOptions{All: AllOverdue})
	if !strings.Contains(r.More, "发送“已逾期的任务”查看全部") {
		t.Errorf("a chat of no unit: More = %q, want the overdue list offered", r.More)
	}
}

func TestUrgeTexts(t *testing.T) {
	now := time.Date(2020, 12, 24, 9, 0, 0, 0, kb.Location)
	rec := digestRecord(76, kb.NewDate(2020, 12, 20))
	r := UrgeNotice(Urging{Record: rec, From: "督查办群", By: "王五", N: 2, Light: "red", Unit: "住建局", Status: "推进中（住建局 12月3日）"}, now, nil)
	text := r.Text()
	for _, want := range []string{
		"【催办】督查办群（王五）催办重点工作第76项（第2次催办）",
		"🔴 重点工作第76项 推进城区道路改造工程 12月20日 逾期4天｜推进中（住建局 12月3日）",
		"牵头单位：住建局",
		"回复“76号进展：……”或“76号已完成”",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("UrgeNotice lacks %q:\n%s", want, text)
		}
	}
	if len(r.Tasks) != 1 || r.Tasks[0].Unit != "住建局" {
		t.Errorf("UrgeNotice tasks = %+v", r.Tasks)
	}
	if got := UrgeSent(rec, []string{"住建局工作群"}, 2, nil).Head; got != "已催办重点工作第76项：已向住建局工作群发出催办提醒（已催办2次）。" {
		t.Errorf("UrgeSent = %q", got)
	}
	if got := UrgeRefused(76).Text(); !strings.Contains(got, "不能催办") || !strings.Contains(got, "76号任务") {
		t.Errorf("UrgeRefused = %q", got)
	}
	if got := UrgeUnknown(kb.PeopleProjects, 99, true, nil).Head; !strings.Contains(got, "99") || !strings.Contains(got, "未能催办") {
		t.Errorf("UrgeUnknown = %q", got)
	}
}

// TestListColours: every list of tasks opens each line with the task's
// colour from the Light hook, whatever the question; a task's 状态 line
// names the colour and how often it was urged; without hooks nothing
// changes.
func TestListColours(t *testing.T) {
	b, err := kb.New(kb.Contents{Records: []kb.Record{
		{Table: kb.KeyTasks, No: 1, Text: "完成老旧小区改造。", LeadUnits: []string{"住建局"}, DeadlineText: "6月底前", Due: kb.NewDate(2020, 6, 30), Source: kb.Source{File: "a.txt", Line: 1}},
		{Table: kb.KeyTasks, No: 2, Text: "建成城市公园。", LeadUnits: []string{"住建局"}, DeadlineText: "12月底前", Due: kb.NewDate(2020, 12, 31), Source: kb.Source{File: "a.txt", Line: 2}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2020, 7, 10, 9, 0, 0, 0, kb.Location)
	light := func(r *kb.Record, at time.Time) string {
		if r.Due.Time.Before(at) {
			return "red"
		}
		return "green"
	}
	status := func(kb.Table, int) (kb.Status, bool) { return kb.Status{}, false }
	urges := func(t kb.Table, no int) int { return map[int]int{1: 2}[no] }
	h := New(b, Config{Now: func() time.Time { return now }, Status: status, Light: light, Urges: urges})
	plain := New(b, Config{Now: func() time.Time { return now }, Status: status})
	for _, q := range []string{"住建局的任务", "住建局牵头哪些任务", "1号和2号任务"} {
		got := h.Answer(context.Background(), Question{Text: q}).Text()
		if !strings.Contains(got, "🔴 ") || !strings.Contains(got, "🟢 ") {
			t.Errorf("%s: lines lack their colours:\n%s", q, got)
		}
		if p := plain.Answer(context.Background(), Question{Text: q}).Text(); strings.ContainsAny(p, "🔴🟢") {
			t.Errorf("%s without a Light hook shows colours:\n%s", q, p)
		}
	}
	got := h.Answer(context.Background(), Question{Text: "1号任务"}).Text()
	if !strings.Contains(got, "🔴红灯") || !strings.Contains(got, "已催办2次") {
		t.Errorf("1号任务 = %q, want 红灯 and 已催办2次 in its 状态 line", got)
	}
}

func TestBulletinNoPrevious(t *testing.T) {
	r := BulletinOf(Bulletin{Period: "2020年8月", At: time.Date(2020, 8, 31, 17, 0, 0, 0, kb.Location), Link: "https://x/export"})
	if r.Head != "督办通报（2020年8月，截至8月31日）：应完成0项，已完成0项；红灯0项。" || r.More != "完整表格：https://x/export" || len(r.Lines) != 0 {
		t.Errorf("empty bulletin = %+v", r)
	}
}
