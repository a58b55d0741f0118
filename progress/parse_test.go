package progress

import (
	"slices"
	"testing"

	"duban/kb"
)

func TestParseReport(t *testing.T) {
	tests := []struct {
		name string
		text string
		ok   bool
		want Report
	}{
		// The examples.
		{"done", "76号已完成", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.Done}},
		{"done with note", "76号完成了，已验收", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.Done, Note: "已验收"}},
		{"progress", "76号进展：已完成招标，9月开工", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.InProgress, Note: "已完成招标，9月开工"}},
		{"extension", "76号延期到10月底，原因：拆迁未完成", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.Extension, Extension: "10月底", Note: "原因：拆迁未完成"}},
		{"undo", "撤销76号完成", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.Done, Undo: true}},
		{"people project", "实事12号已完成", true, Report{Nos: []int{12}, Table: kb.PeopleProjects, Scoped: true, State: kb.Done}},

		// Numerals and wording.
		{"full-width", "７６号已完成", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.Done}},
		{"chinese numeral", "第七十六项已经完成", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.Done}},
		{"bare number", "76 已完成。", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.Done}},
		{"several", "76号、78号已完成", true, Report{Nos: []int{76, 78}, Table: kb.KeyTasks, State: kb.Done}},
		{"mention and unit prefix", "@督办助手 住建局：76号已办结", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.Done}},
		{"key task scope", "重点工作第5项推进中，已开工", true, Report{Nos: []int{5}, Table: kb.KeyTasks, Scoped: true, State: kb.InProgress, Note: "推进中，已开工"}},
		{"partly done is progress", "76号已完成招标", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.InProgress, Note: "已完成招标"}},
		{"started", "76号已开工", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.InProgress, Note: "已开工"}},
		{"not started", "76号尚未启动", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.NotStarted, Note: "尚未启动"}},
		{"request extension", "76号申请延期至12月底", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.Extension, Extension: "12月底"}},
		{"undo later", "76号撤销完成", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.Done, Undo: true}},
		{"undo latest", "撤回实事12号", true, Report{Nos: []int{12}, Table: kb.PeopleProjects, Scoped: true, Undo: true}},
		{"progress says done", "76号进展：已全部完成", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.Done}},

		// Ambiguous: the bot asks.
		{"vague", "76号好了吧", true, Report{Nos: []int{76}, Table: kb.KeyTasks, State: kb.Done, Ambiguous: true, Why: WhyVague}},
		{"no number", "已完成", true, Report{State: kb.Done, Ambiguous: true, Why: WhyNoNumber}},
		{"no number, we", "我们已经完成了！", true, Report{State: kb.Done, Ambiguous: true, Why: WhyNoNumber}},

		// Questions and other messages are not reports.
		{"question", "76号完成了吗", false, Report{}},
		{"question mark", "76号已完成？", false, Report{}},
		{"asks progress", "76号进展", false, Report{}},
		{"asks progress 2", "实事第12项进展情况", false, Report{}},
		{"asks deadline", "76号完成时限", false, Report{}},
		{"asks lead", "76号任务谁牵头", false, Report{}},
		{"due list", "8月底前要完成哪些", false, Report{}},
		{"unit list", "住建局还有哪些没完成", false, Report{}},
		{"overdue", "逾期未完成的任务", false, Report{}},
		{"year", "2020年完成了多少", false, Report{}},
		{"not yet?", "76号完成没", false, Report{}},
		{"empty", "  ", false, Report{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseReport(tt.text)
			if ok != tt.ok {
				t.Fatalf("ParseReport(%q) ok = %v, want %v (got %+v)", tt.text, ok, tt.ok, got)
			}
			if !ok {
				return
			}
			if !slices.Equal(got.Nos, tt.want.Nos) || got.Table != tt.want.Table || got.Scoped != tt.want.Scoped ||
				got.State != tt.want.State || got.Undo != tt.want.Undo || got.Note != tt.want.Note ||
				got.Extension != tt.want.Extension || got.Ambiguous != tt.want.Ambiguous || got.Why != tt.want.Why {
				t.Errorf("ParseReport(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"76", 76, true}, {"七十六", 76, true}, {"十二", 12, true}, {"一百零三", 103, true},
		{"两百", 200, true}, {"", 0, false}, {"七x", 0, false},
	}
	for _, tt := range tests {
		if got, ok := number(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("number(%q) = %d, %v, want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
