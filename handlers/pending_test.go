package handlers

import (
	"strings"
	"testing"
	"time"

	"duban/kb"
)

// TestPendingReview: 待审核的有哪些 lists the claims and extension requests
// waiting for a reviewer, found by the state the question names, however
// it is worded; a task number goes to the task answer instead.
func TestPendingReview(t *testing.T) {
	now := time.Date(2020, 9, 10, 9, 0, 0, 0, kb.Location)
	at := time.Date(2020, 9, 3, 10, 0, 0, 0, kb.Location)
	st := statusFixture()
	st[kb.KeyTasks][1] = kb.Status{Table: kb.KeyTasks, No: 1, State: kb.Claimed, Unit: "交通局", At: at}
	st[kb.KeyTasks][3] = kb.Status{Table: kb.KeyTasks, No: 3, State: kb.Closed, Unit: "交通局", Reviewer: "督查办", At: at}
	h := New(fixtureBase(t), Config{Now: func() time.Time { return now }, Status: st.lookup})
	for _, q := range []string{"待审核的有哪些", "哪些任务待审核", "还有哪些等待审核的任务", "待审批的事项"} {
		r := h.Answer(t.Context(), Question{Text: q})
		text := r.Text()
		if r.Intent != IntentPendingReview {
			t.Errorf("%q → intent %q, want %q\n%s", q, r.Intent, IntentPendingReview, text)
			continue
		}
		for _, w := range []string{"待审核的任务共2项", "第1项", "；待审核（交通局 9月3日报告）", "第2项", "申请延期至明年3月底"} {
			if !strings.Contains(text, w) {
				t.Errorf("%q → answer lacks %q:\n%s", q, w, text)
			}
		}
		if strings.Contains(text, "第3项") || strings.Contains(text, "为民办实事第1项") {
			t.Errorf("%q → lists a task not pending:\n%s", q, text)
		}
	}
	// A unit narrows it to the tasks it leads.
	if r := h.Answer(t.Context(), Question{Text: "交通局待审核的任务"}); r.Intent != IntentPendingReview ||
		!strings.Contains(r.Text(), "交通局牵头、待审核的") || strings.Contains(r.Text(), "申请延期") {
		t.Errorf("交通局待审核的任务 → %q %q", r.Intent, r.Text())
	}
	// With nothing pending the answer says so.
	empty := New(fixtureBase(t), Config{Now: func() time.Time { return now }, Status: fakeStatuses{}.lookup})
	if r := empty.Answer(t.Context(), Question{Text: "待审核的有哪些"}); r.Intent != IntentPendingReview || !strings.Contains(r.Text(), "目前没有待审核的") {
		t.Errorf("nothing pending → %q %q", r.Intent, r.Text())
	}
	// A task number asks about the task.
	if r := h.Answer(t.Context(), Question{Text: "1号任务待审核吗"}); r.Intent == IntentPendingReview {
		t.Errorf("1号任务待审核吗 → %q, want the task answer", r.Intent)
	}
}

// TestReviewedByline: an answer says a reviewer's decision was 审核, a
// unit's report 报告.
func TestReviewedByline(t *testing.T) {
	at := time.Date(2020, 9, 4, 10, 0, 0, 0, kb.Location)
	st := statusFixture()
	st[kb.KeyTasks][1] = kb.Status{Table: kb.KeyTasks, No: 1, State: kb.Returned, Note: "缺验收材料", Unit: "交通局", Reviewer: "督查办", At: at}
	h := New(fixtureBase(t), Config{Now: func() time.Time { return at }, Status: st.lookup})
	if got := h.Answer(t.Context(), Question{Text: "1号任务进展"}).Text(); !strings.Contains(got, "状态：已退回（督查办 9月4日审核）：缺验收材料") {
		t.Errorf("answer = %q", got)
	}
	if got := h.Answer(t.Context(), Question{Text: "第2项"}).Text(); !strings.Contains(got, "（城管局 9月3日报告）") {
		t.Errorf("answer = %q", got)
	}
}
