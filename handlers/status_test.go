package handlers

import (
	"context"
	"strings"
	"testing"
	"time"

	"duban/kb"
)

// fakeStatuses is a Status hook over a map.
type fakeStatuses map[kb.Table]map[int]kb.Status

func (f fakeStatuses) lookup(t kb.Table, no int) (kb.Status, bool) {
	s, ok := f[t][no]
	return s, ok
}

func statusFixture() fakeStatuses {
	at := time.Date(2020, 9, 3, 10, 0, 0, 0, kb.Location)
	return fakeStatuses{
		kb.KeyTasks: {
			1: {Table: kb.KeyTasks, No: 1, State: kb.Done, Note: "已验收", Unit: "交通局", At: at},
			2: {Table: kb.KeyTasks, No: 2, State: kb.Extension, Extension: "明年3月底", Note: "原因：选址调整", Unit: "城管局", At: at},
		},
		kb.PeopleProjects: {
			1: {Table: kb.PeopleProjects, No: 1, State: kb.InProgress, Note: "已完成3处", Unit: "教体局", At: at},
		},
	}
}

func TestStatusAnswers(t *testing.T) {
	now := time.Date(2020, 9, 10, 9, 0, 0, 0, kb.Location)
	st := statusFixture()
	h := New(fixtureBase(t), Config{Now: func() time.Time { return now }, Status: st.lookup})
	tests := []struct {
		name, q, intent string
		want            []string
		not             []string
	}{
		{"task answer shows status", "1号任务谁牵头", IntentTask,
			[]string{"状态：已完成（交通局 9月3日报告）：已验收"}, nil},
		{"extension in task answer", "第2项", IntentTask,
			[]string{"状态：申请延期至明年3月底（城管局 9月3日报告）：原因：选址调整"}, nil},
		{"unreported task", "3号任务", IntentTask, []string{"状态：未报告（尚无进展报告）"}, nil},
		{"progress question uses the report", "实事第1项进展", IntentTask,
			[]string{"状态：推进中（教体局 9月3日报告）：已完成3处"}, []string{"没有记录进展"}},
		{"list lines", "王大明牵头哪些任务", IntentLeaderTask,
			[]string{"第1项", "；已完成（交通局 9月3日报告）", "；申请延期至明年3月底"}, nil},
		{"unit unfinished", "教体局还有哪些没完成", IntentUnfinished,
			[]string{"教体局牵头、尚未完成的任务共2项", "为民办实事第1项", "；推进中（教体局 9月3日报告）", "重点工作第3项"}, nil},
		{"unit all finished", "交通局还有哪些没完成", IntentUnfinished,
			[]string{"没有交通局牵头、尚未完成的任务", "已完成1项"}, nil},
		{"finished list", "哪些任务已完成", IntentFinished, []string{"已报告完成的任务共1项", "第1项"}, []string{"第2项"}},
		{"overdue unfinished", "逾期未完成的任务", IntentDue,
			[]string{"已逾期未完成", "为民办实事第1项", "另有1项已逾期但已报告完成"}, []string{"东西向主干道"}},
		{"overdue plain", "已逾期的任务", IntentDue, []string{"已逾期未完成"}, []string{"东西向主干道"}},
		{"leader progress", "王大明牵头的任务进度", IntentProgress,
			[]string{"王大明牵头的任务进度：共2项，已完成1项，申请延期1项。", "【申请延期至明年3月底】重点工作第2项", "【已完成】重点工作第1项", "交通局 9月3日报告：已验收"}, nil},
		{"unit progress with overdue days", "教体局任务进度", IntentProgress,
			[]string{"推进中·逾期72天", "【未报告】重点工作第3项", "时限：长期"}, nil},
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
					t.Errorf("Answer(%q) has %q:\n%s", tt.q, w, text)
				}
			}
		})
	}
}

// TestNoStatusHook: without a Status hook, answers are as they were.
func TestNoStatusHook(t *testing.T) {
	now := func() time.Time { return time.Date(2020, 9, 10, 9, 0, 0, 0, kb.Location) }
	plain := New(fixtureBase(t), Config{Now: now})
	for _, q := range []string{"1号任务谁牵头", "王大明牵头哪些任务", "已逾期的任务", "教体局还有哪些没完成"} {
		r := plain.Answer(context.Background(), Question{Text: q})
		if text := r.Text(); strings.Contains(text, "状态") || strings.Contains(text, "未完成") && r.Intent != IntentDue {
			t.Errorf("Answer(%q) without hook mentions statuses:\n%s", q, text)
		}
		if r.Intent == IntentUnfinished || r.Intent == IntentProgress {
			t.Errorf("Answer(%q) without hook has intent %q", q, r.Intent)
		}
	}
}

// TestProgressPaging: "更多" continues a progress report.
func TestProgressPaging(t *testing.T) {
	st := statusFixture()
	h := New(fixtureBase(t), Config{PageSize: 1, Status: st.lookup, Now: func() time.Time { return time.Date(2020, 9, 10, 9, 0, 0, 0, kb.Location) }})
	r := h.Answer(context.Background(), Question{Text: "王大明牵头的任务进度"})
	if len(r.Lines) != 1 || r.More == "" {
		t.Fatalf("first page: %q more %q", r.Lines, r.More)
	}
	r2 := h.Answer(context.Background(), Question{Text: "更多", Prev: r.Turn})
	if len(r2.Lines) != 1 || r2.Lines[0] == r.Lines[0] {
		t.Fatalf("second page: %q after %q", r2.Lines, r.Lines)
	}
}
