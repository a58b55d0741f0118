package handlers

import (
	"context"
	"strings"
	"testing"
	"time"

	"duban/kb"
	"duban/kb/textnorm"
)

// fixtureBase is a small hand-written knowledge base: three key tasks (one
// with merged cells), two 实事 items, one leader's division of labour.
func fixtureBase(t testing.TB) *kb.Base {
	t.Helper()
	src := func(no, line int) kb.Source {
		return kb.Source{File: "t.txt", Line: line, Title: "2020年市政府重点工作任务分解表", Row: no}
	}
	c := kb.Contents{
		Records: []kb.Record{
			{Table: kb.KeyTasks, No: 1, Section: "一、交通", Text: "建设快速路网，完成东西向主干道改造。", LeadLeaders: []string{"王大明"}, LeadUnits: []string{"交通局"}, CoUnits: []string{"住建局", "各区镇"}, DeadlineText: "8月底前", Due: kb.NewDate(2020, 8, 31), Inherited: []string{}, Source: src(1, 10)},
			{Table: kb.KeyTasks, No: 2, Section: "一、交通", Text: "推进垃圾分类，建成分拣中心。", LeadLeaders: []string{"王大明"}, LeadUnits: []string{"城管局"}, CoUnits: []string{}, DeadlineText: "全年", Due: kb.NewDate(2020, 12, 31), Inherited: []string{"lead_leaders"}, Source: src(2, 20)},
			{Table: kb.KeyTasks, No: 3, Section: "二、民生", Text: "新建幼儿园两所。", LeadLeaders: []string{"李小红"}, LeadUnits: []string{"教体局"}, CoUnits: []string{"财政局"}, DeadlineText: "长期", Inherited: []string{}, Source: src(3, 30)},
			{Table: kb.PeopleProjects, No: 1, Section: "教育", Text: "改造校舍五处。", LeadLeaders: []string{"李小红"}, LeadUnits: []string{"教体局"}, CoUnits: []string{}, DeadlineText: "6月底前", Due: kb.NewDate(2020, 6, 30), Inherited: []string{}, Source: src(1, 40)},
			{Table: kb.PeopleProjects, No: 2, Section: "健康", Text: "开展老年人免费体检。", LeadLeaders: []string{"李小红"}, LeadUnits: []string{"卫健委"}, CoUnits: []string{}, DeadlineText: "12月底前", Due: kb.NewDate(2020, 12, 31), Inherited: []string{}, Source: src(2, 50)},
		},
		Leaders:  []kb.Leader{{Name: "王大明", Post: "副市长", Areas: []string{"交通运输"}, Oversees: []string{"交通局", "城管局"}, Liaises: []string{"东湖镇"}, Source: kb.Source{File: "n.txt", Line: 5, Title: "市政府领导同志工作分工"}}},
		Passages: []kb.Passage{{Doc: "n.txt", Title: "通知", Text: "东湖镇负责湿地公园的日常养护。", Source: kb.Source{File: "n.txt", Line: 9}}},
	}
	b, err := kb.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAnswerIntents(t *testing.T) {
	h := New(fixtureBase(t), Config{Now: func() time.Time { return time.Date(2020, 8, 20, 9, 0, 0, 0, kb.Location) }})
	tests := []struct {
		name, q, intent string
		want            []string // all must appear
		not             []string // none may appear
	}{
		// task numbers in every written form
		{"arabic", "1号任务谁牵头", IntentTask, []string{"王大明", "交通局", "来源：", "第1项"}, nil},
		{"chinese numeral", "第二项牵头领导", IntentTask, []string{"王大明", "合并单元格"}, nil},
		{"full-width", "任务１配合单位", IntentTask, []string{"住建局", "各区镇"}, nil},
		{"deadline", "第一项什么时候完成", IntentTask, []string{"8月底前", "2020年8月31日"}, nil},
		{"open-ended deadline", "3号时限", IntentTask, []string{"长期"}, nil},
		{"people's project", "实事第2项谁负责", IntentTask, []string{"李小红", "卫健委", "为民办实事第2项"}, nil},
		{"two numbers", "1和3谁牵头", IntentTask, []string{"王大明", "李小红", "共2项"}, nil},
		{"same number elsewhere", "第1项谁牵头", IntentTask, []string{"为民办实事"}, nil},
		{"missing number", "第300项谁牵头", IntentNotFound, []string{"未找到", "共3项"}, []string{"王大明", "李小红"}},
		// lists
		{"unit tasks", "交通运输局牵头哪些任务", IntentUnitTasks, []string{"共1项", "第1项"}, nil},
		{"unit typo", "交通居牵头哪些任务", IntentUnitTasks, []string{"交通局"}, nil},
		{"co tasks", "住建局配合哪些任务", IntentUnitTasks, []string{"第1项"}, nil},
		{"leader tasks", "李小红牵头的任务", IntentLeaderTask, []string{"共3项"}, nil},
		{"unknown unit", "档案局牵头哪些任务", IntentNotFound, []string{"未找到"}, []string{"王大明"}},
		{"by month", "8月底前要完成哪些", IntentDue, []string{"第1项", "实事第1项"}, []string{"第2项 "}},
		{"overdue", "已逾期的任务", IntentDue, []string{"为民办实事第1项"}, nil},
		{"this month", "本月到期", IntentDue, []string{"第1项"}, nil},
		// division of labour and its reverse
		{"oversees", "王大明分管哪些部门", IntentDivision, []string{"交通局", "城管局"}, nil},
		{"overseer", "交通运输局归谁分管", IntentOverseer, []string{"王大明"}, nil},
		{"liaison", "王大明联系哪个镇", IntentDivision, []string{"东湖镇"}, nil},
		// keyword and fallback
		{"keyword", "垃圾分类谁牵头", IntentKeyword, []string{"城管局", "王大明"}, nil},
		{"passage", "湿地公园养护", IntentSearch, []string{"东湖镇", "n.txt:9"}, nil},
		{"nothing", "明天天气怎么样", IntentNotFound, []string{"未找到"}, []string{"王大明", "李小红"}},
		{"english", "who leads task 1", IntentTask, []string{"王大明", "Key task 1", "Source:"}, nil},
		{"help", "帮助", IntentHelp, []string{"1号任务谁牵头", "交通局牵头哪些任务", "王大明"}, nil}, // examples from the loaded documents
		{"count", "重点工作一共多少项", IntentCount, []string{"3项"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.Answer(context.Background(), Question{Text: tt.q})
			text := r.Text()
			if r.Intent != tt.intent {
				t.Errorf("Answer(%q).Intent = %q, want %q\n%s", tt.q, r.Intent, tt.intent, text)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("Answer(%q) lacks %q:\n%s", tt.q, w, text)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(text, w) {
					t.Errorf("Answer(%q) contains %q:\n%s", tt.q, w, text)
				}
			}
		})
	}
}

func TestFollowUp(t *testing.T) {
	h := New(fixtureBase(t), Config{PageSize: 1})
	ctx := context.Background()
	r := h.Answer(ctx, Question{Text: "1号任务谁牵头"})
	r2 := h.Answer(ctx, Question{Text: "那它什么时候到期？", Prev: r.Turn})
	if !strings.Contains(r2.Text(), "8月底前") {
		t.Errorf("follow-up deadline:\n%s", r2.Text())
	}
	r3 := h.Answer(ctx, Question{Text: "配合单位呢", Prev: r2.Turn})
	if !strings.Contains(r3.Text(), "住建局") {
		t.Errorf("follow-up co-units:\n%s", r3.Text())
	}
	// paging a list
	l := h.Answer(ctx, Question{Text: "李小红牵头的任务"})
	if !strings.Contains(l.Text(), "还有2项") {
		t.Fatalf("first page:\n%s", l.Text())
	}
	m := h.Answer(ctx, Question{Text: "更多", Prev: l.Turn})
	if !strings.Contains(m.Text(), "实事第1项") || strings.Contains(m.Text(), "第3项 ") {
		t.Errorf("second page:\n%s", m.Text())
	}
}

func TestTaskNumbers(t *testing.T) {
	tests := []struct {
		q    string
		want []int
	}{
		{"76号任务谁牵头", []int{76}},
		{"第七十六项啥时候完成", []int{76}},
		{"任务７６配合单位", []int{76}},
		{"第一百零三项", []int{103}},
		{"76和77谁牵头", []int{76, 77}},
		{"8月底前要完成哪些", nil},
		{"南通2019年第14项进展", []int{14}},
		{"十四五地区生产总值目标", nil},
		{"研发经费占比2.85%", nil},
		{"task 17 due", []int{17}},
	}
	for _, tt := range tests {
		got := textnorm.TaskRefs(textnorm.Fold(tt.q))
		if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) || (len(got) > 1 && got[1] != tt.want[1]) {
			t.Errorf("taskNumbers(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

func TestRenderSplit(t *testing.T) {
	r := Reply{Head: "标题", Lines: []string{strings.Repeat("甲", 700), strings.Repeat("乙", 700)}, Cite: "来源：x"}
	parts := Render(r, WeComText)
	if len(parts) < 2 {
		t.Fatalf("Render split into %d parts, want ≥ 2", len(parts))
	}
	for _, p := range parts {
		if len(p) > WeComText.Limit {
			t.Errorf("part of %d bytes exceeds %d", len(p), WeComText.Limit)
		}
	}
	md := Render(Reply{Head: "a*b", Lines: []string{"# x"}}, WeComMarkdown)[0]
	if !strings.Contains(md, "**a\\*b**") || !strings.Contains(md, "\\# x") {
		t.Errorf("markdown escaping: %q", md)
	}
}
