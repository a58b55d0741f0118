package handlers

import (
	"strings"
	"testing"
	"time"

	"duban/kb"
)

func digestRecord(no int, due *kb.Date) *kb.Record {
	return &kb.Record{
		Table: kb.KeyTasks, No: no,
		Text:        "推进城区道路改造工程，完成主干道白改黑。同步实施雨污分流。",
		LeadLeaders: []string{"张三"}, LeadUnits: []string{"住建局"}, CoUnits: []string{"交通局", "各区镇"},
		DeadlineText: "12月底前", Due: due,
		Source: kb.Source{File: "004_x.txt", Line: 10, Title: "2020年市政府重点工作任务分解表"},
	}
}

func TestDigestLines(t *testing.T) {
	now := time.Date(2020, 12, 24, 9, 0, 0, 0, kb.Location)
	tests := []struct {
		name string
		item DigestItem
		want []string // substrings of the one task line
	}{
		{"days left", DigestItem{Record: digestRecord(76, kb.NewDate(2020, 12, 31))},
			[]string{"1. 【还剩7天】重点工作第76项 推进城区道路改造工程，完成主干道白改黑", "｜牵头领导：张三｜牵头单位：住建局", "｜协同：交通局、各区镇", "｜时限：12月底前（2020-12-31）"}},
		{"due today", DigestItem{Record: digestRecord(5, kb.NewDate(2020, 12, 24))}, []string{"【今天到期】重点工作第5项"}},
		{"overdue", DigestItem{Record: digestRecord(6, kb.NewDate(2020, 12, 20))}, []string{"【逾期4天】"}},
		{"co copy", DigestItem{Record: digestRecord(7, kb.NewDate(2020, 12, 25)), Co: true}, []string{"【协同·还剩1天】"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Digest("住建局工作群", []DigestItem{tt.item}, now)
			if len(r.Lines) != 1 {
				t.Fatalf("Lines = %q, want one line", r.Lines)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.Lines[0], w) {
					t.Errorf("line %q lacks %q", r.Lines[0], w)
				}
			}
			if strings.Contains(r.Lines[0], "同步实施") {
				t.Errorf("line %q keeps more than the first clause", r.Lines[0])
			}
		})
	}
}

func TestDigestHeadAndCite(t *testing.T) {
	// 01:00 UTC on the 24th is 09:00 in Shanghai: the day is Shanghai's.
	now := time.Date(2020, 12, 24, 1, 0, 0, 0, time.UTC)
	items := []DigestItem{
		{Record: digestRecord(6, kb.NewDate(2020, 12, 20))},
		{Record: digestRecord(76, kb.NewDate(2020, 12, 31))},
	}
	r := Digest("住建局工作群", items, now)
	if want := "督办提醒（住建局工作群，2020年12月24日）：2项任务，其中1项已逾期"; r.Head != want {
		t.Errorf("Head = %q, want %q", r.Head, want)
	}
	if want := "来源：2020年市政府重点工作任务分解表（004_x.txt）"; r.Cite != want {
		t.Errorf("Cite = %q, want %q", r.Cite, want)
	}
	if r.Intent != IntentDigest || len(r.Sources) != 2 || len(r.Mentions) != 0 {
		t.Errorf("Digest = %+v", r)
	}
	text := r.Text()
	if !strings.HasPrefix(text, r.Head+"\n1. ") || !strings.Contains(text, "\n2. ") {
		t.Errorf("Text() = %q", text)
	}
}

func TestDigestLongTextCut(t *testing.T) {
	rec := digestRecord(1, kb.NewDate(2020, 6, 30))
	rec.Text = strings.Repeat("长", 80)
	rec.DeadlineText = ""
	r := Digest("群", []DigestItem{{Record: rec}}, time.Date(2020, 6, 1, 9, 0, 0, 0, kb.Location))
	if !strings.Contains(r.Lines[0], strings.Repeat("长", digestTextRunes)+"…") {
		t.Errorf("line %q not cut at %d runes", r.Lines[0], digestTextRunes)
	}
	if !strings.HasSuffix(r.Lines[0], "｜时限：2020-06-30") {
		t.Errorf("line %q: deadline without text should be the date", r.Lines[0])
	}
}
