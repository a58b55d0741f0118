package handlers

import (
	"context"
	"strings"
	"testing"
	"time"

	"duban/kb"
	"duban/progress"
)

// TestApprovedExtensionAnswers: a task whose extension was approved (同意延期
// to 10月底, its document date 6月30日) is not overdue before its new date in
// any status-aware answer, and its answers show both dates; a window the
// question names keeps the document's date and marks the task.
func TestApprovedExtensionAnswers(t *testing.T) {
	at := time.Date(2020, 9, 3, 10, 0, 0, 0, kb.Location)
	st := statusFixture()
	st[kb.PeopleProjects][1] = kb.Status{Table: kb.PeopleProjects, No: 1, State: kb.ExtensionApproved, Extension: "10月底", Reviewer: "督查办", Unit: "教体局", At: at}
	tests := []struct {
		name, q, intent string
		now             time.Time
		want            []string
		not             []string
	}{
		{"状态 line", "实事第1项进展", IntentTask, sep10,
			[]string{"已同意延期至10月底", "原定6月30日，同意延期至10月31日"}, []string{"逾期"}},
		{"状态 line after the new date", "实事第1项进展", IntentTask, nov5,
			[]string{"原定6月30日，同意延期至10月31日", "逾期5天"}, nil},
		{"overdue list", "已逾期的任务", IntentDue, sep10,
			nil, []string{"为民办实事第1项"}},
		{"overdue unfinished", "逾期未完成的任务", IntentDue, sep10,
			nil, []string{"为民办实事第1项"}},
		{"overdue list after the new date", "已逾期的任务", IntentDue, nov5,
			[]string{"为民办实事第1项", "原定6月30日，同意延期至10月31日"}, nil},
		{"unit overdue unfinished", "教体局还有哪些逾期没完成", IntentDue, sep10,
			nil, []string{"为民办实事第1项"}},
		{"unit overdue progress", "教体局逾期任务进度", IntentDue, sep10,
			[]string{"没有教体局牵头、已逾期"}, []string{"为民办实事第1项"}},
		{"unit overdue progress after the new date", "教体局逾期任务进度", IntentProgress, nov5,
			[]string{"为民办实事第1项"}, nil},
		{"unit unfinished", "教体局还有哪些没完成", IntentUnfinished, sep10,
			[]string{"为民办实事第1项", "原定6月30日，同意延期至10月31日"}, nil},
		{"unit progress", "教体局任务进度", IntentProgress, sep10,
			[]string{"【已同意延期至10月底】为民办实事第1项", "原定6月30日，同意延期至10月31日"}, []string{"已同意延期至10月底·逾期"}},
		{"unit progress after the new date", "教体局任务进度", IntentProgress, nov5,
			[]string{"【已同意延期至10月底·逾期5天】为民办实事第1项"}, nil},
		{"document window keeps the document date", "6月底前要完成哪些", IntentDue, sep10,
			[]string{"为民办实事第1项", "原定6月30日，同意延期至10月31日"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := tt.now
			h := New(fixtureBase(t), Config{Now: func() time.Time { return now }, Status: st.lookup, EffectiveDue: progress.EffectiveDue})
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
					t.Errorf("Answer(%q) has %q:\n%s", tt.q, w, text)
				}
			}
		})
	}
}

var (
	sep10 = time.Date(2020, 9, 10, 9, 0, 0, 0, kb.Location)
	nov5  = time.Date(2020, 11, 5, 9, 0, 0, 0, kb.Location)
)

// TestLeaderSummaryExtension: the weekly summary counts days overdue from
// SummaryItem.Due (the approved date) and shows both dates.
func TestLeaderSummaryExtension(t *testing.T) {
	jun30 := kb.NewDate(2020, 6, 30)
	oct31 := kb.NewDate(2020, 10, 31)
	approved := kb.Status{State: kb.ExtensionApproved, Extension: "10月底", Reviewer: "督查办"}
	tests := []struct {
		name string
		it   SummaryItem
		now  time.Time
		want []string
		not  []string
	}{
		{"before the new date", SummaryItem{Status: approved, Reported: true, Due: oct31}, sep10,
			[]string{"时限：6月底前（原定6月30日，同意延期至10月31日）"}, []string{"逾期"}},
		{"after the new date", SummaryItem{Status: approved, Reported: true, Due: oct31}, nov5,
			[]string{"·逾期5天】", "其中逾期未完成1项", "原定6月30日，同意延期至10月31日"}, nil},
		{"no Due: the record's date", SummaryItem{Status: kb.Status{State: kb.InProgress}, Reported: true}, sep10,
			[]string{"·逾期72天】", "其中逾期未完成1项"}, []string{"原定"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := kb.Record{Table: kb.KeyTasks, No: 7, Text: "推进城市更新试点", LeadUnits: []string{"住建局"}, DeadlineText: "6月底前", Due: jun30}
			it := tt.it
			it.Record = &rec
			text := LeaderSummary("王大明", []SummaryItem{it}, tt.now, nil).Text()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("summary lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(text, w) {
					t.Errorf("summary has %q:\n%s", w, text)
				}
			}
		})
	}
}
