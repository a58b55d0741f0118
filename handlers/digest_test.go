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
		Source: kb.Source{File: "004_x.txt", Line: 10 + no, Title: "2020年市政府重点工作任务分解表"},
	}
}

func TestDigestLines(t *testing.T) {
	now := time.Date(2020, 12, 24, 9, 0, 0, 0, kb.Location)
	long := digestRecord(9, kb.NewDate(2020, 12, 31))
	long.Text = strings.Repeat("长", 80)
	tests := []struct {
		name string
		item DigestItem
		want string // the one task line
	}{
		{"days left", DigestItem{Record: digestRecord(76, kb.NewDate(2020, 12, 31)), Light: "green"},
			"🟢 重点工作第76项 推进城区道路改造工程 12月31日 还剩7天"},
		{"due today", DigestItem{Record: digestRecord(5, kb.NewDate(2020, 12, 24)), Light: "yellow"},
			"🟡 重点工作第5项 推进城区道路改造工程 12月24日 今天到期"},
		{"overdue", DigestItem{Record: digestRecord(6, kb.NewDate(2020, 12, 20)), Light: "red"},
			"🔴 重点工作第6项 推进城区道路改造工程 12月20日 逾期4天"},
		{"co copy", DigestItem{Record: digestRecord(7, kb.NewDate(2020, 12, 25)), Co: true},
			"重点工作第7项 推进城区道路改造工程 12月25日 还剩1天（协同）"},
		{"shared by a collective", DigestItem{Record: digestRecord(8, kb.NewDate(2020, 12, 25)), Reason: ReasonShared},
			"重点工作第8项 推进城区道路改造工程 12月25日 还剩1天（各部门共同）"},
		{"status note", DigestItem{Record: digestRecord(6, kb.NewDate(2020, 12, 20)), Light: "yellow", Note: "申请延期至1月底（住建局 12月3日）"},
			"🟡 重点工作第6项 推进城区道路改造工程 12月20日 逾期4天｜申请延期至1月底（住建局 12月3日）"},
		{"long title cut", DigestItem{Record: long},
			"重点工作第9项 " + strings.Repeat("长", digestTitleRunes-1) + "… 12月31日 还剩7天"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Digest("住建局工作群", []DigestItem{tt.item}, now)
			if len(r.Lines) != 2 {
				t.Fatalf("Lines = %q, want a group line and a task line", r.Lines)
			}
			if r.Lines[1] != tt.want {
				t.Errorf("line = %q, want %q", r.Lines[1], tt.want)
			}
		})
	}
}

func TestDigestGroups(t *testing.T) {
	now := time.Date(2020, 12, 24, 9, 0, 0, 0, kb.Location)
	var items []DigestItem
	// In the scheduler's order: earliest due first.
	for i, d := range []int{-40, -10, -3, -2, -1, 0, 1, 5, 20, 45} {
		due := kb.NewDate(2020, 12, 24+d)
		items = append(items, DigestItem{Record: digestRecord(i+1, due)})
	}
	tests := []struct {
		name   string
		opt    DigestOptions
		groups []string // group lines in order
		first  []string // the first task line's number in each group
		more   string
	}{
		{"three most recent overdue", DigestOptions{Unit: "住建局", RecentOverdue: 3},
			[]string{"【逾期 5项】", "【今明两天到期 2项】", "【7天内到期 1项】", "【30天内到期 1项】", "【30天后到期 1项】"},
			[]string{"第5项", "第6项", "第8项", "第9项", "第10项"},
			"另有2项未列出（逾期更久2项），发送“住建局的任务”查看全部"},
		{"every overdue", DigestOptions{RecentOverdue: -1},
			[]string{"【逾期 5项】", "【今明两天到期 2项】", "【7天内到期 1项】", "【30天内到期 1项】", "【30天后到期 1项】"},
			[]string{"第5项", "第6项", "第8项", "第9项", "第10项"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := DigestOf("住建局工作群", items, now, tt.opt)
			var groups, first []string
			for i, l := range r.Lines {
				if strings.HasPrefix(l, "【") {
					groups = append(groups, l)
					first = append(first, strings.Fields(r.Lines[i+1])[0][len("重点工作"):])
				}
			}
			if strings.Join(groups, " ") != strings.Join(tt.groups, " ") {
				t.Errorf("groups = %q, want %q", groups, tt.groups)
			}
			if strings.Join(first, " ") != strings.Join(tt.first, " ") {
				t.Errorf("first of each group = %q, want %q", first, tt.first)
			}
			if r.More != tt.more {
				t.Errorf("More = %q, want %q", r.More, tt.more)
			}
			if len(r.Sources) != len(items) {
				t.Errorf("%d sources, want %d: a digest cites every task it covers", len(r.Sources), len(items))
			}
		})
	}
}

func TestDigestFitsOneMessage(t *testing.T) {
	now := time.Date(2020, 12, 24, 9, 0, 0, 0, kb.Location)
	var items []DigestItem
	for i := range 300 {
		it := DigestItem{Record: digestRecord(i+1, kb.NewDate(2020, 12, 25+i%40)), Light: "yellow"}
		if i%3 == 0 {
			it.Reason, it.Note = ReasonCo, "申请延期至1月底（住建局 12月3日）"
		}
		items = append(items, it)
	}
	for _, d := range []Dialect{WeComText, WeComMarkdown, DingTalkMarkdown} {
		t.Run(d.Name, func(t *testing.T) {
			r := DigestOf("住建局工作群", items, now, DigestOptions{Unit: "住建局", Limit: d.Limit})
			if n := len(Render(r, d)); n != 1 {
				t.Errorf("%d messages, want 1", n)
			}
			listed := 0
			for _, l := range r.Lines {
				if !strings.HasPrefix(l, "【") {
					listed++
				}
			}
			if listed == 0 || listed == len(items) {
				t.Errorf("%d of %d tasks listed, want some and not all", listed, len(items))
			}
			if !strings.Contains(r.More, "发送“住建局的任务”查看全部") || !strings.Contains(r.More, "另有") {
				t.Errorf("More = %q", r.More)
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
	if r.Intent != IntentDigest || len(r.Sources) != 2 || len(r.Mentions) != 0 || r.More != "" {
		t.Errorf("Digest = %+v", r)
	}
	if text := r.Text(); !strings.HasPrefix(text, r.Head+"\n【逾期 1项】\n") {
		t.Errorf("Text() = %q", text)
	}
}
