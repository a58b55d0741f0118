package handlers

import (
	"fmt"
	"strings"

	"duban/kb"
)

// Intents of the replies to reports and reviews, composed here so that
// every sentence an official reads comes from handlers; package report
// decides and records, and picks the sentence.
const (
	IntentReport = "report" // a unit's progress report or its undo
	IntentReview = "review" // a reviewer's 办结/退回/同意延期/不同意延期
)

// TaskLabel names a task the way officials say it: 重点工作第76项.
func TaskLabel(t kb.Table, no int) string { return tableLabel(t, no, false) }

func reportReply(head string, lines ...string) Reply {
	return Reply{Intent: IntentReport, Head: head, Lines: lines}
}

// ReportAskNumber answers a report that names no task.
func ReportAskNumber() Reply {
	return reportReply("请注明任务编号，例如“76号已完成”“实事12号已完成”“76号进展：已完成招标”。未作记录。")
}

// ReportNotAuthorized says politely why a chat speaking for chatUnits may
// not report for task (t, no), and who can: its lead units.
func ReportNotAuthorized(t kb.Table, no int, leadUnits, chatUnits []string) Reply {
	return reportReply(notAuthorized(t, no, leadUnits, chatUnits))
}

func notAuthorized(t kb.Table, no int, lead, chat []string) string {
	label := TaskLabel(t, no)
	switch {
	case len(lead) == 0:
		return fmt.Sprintf("%s在文件中没有列明牵头单位，无法在群里报告进展，请联系督办部门登记。", label)
	case len(chat) == 0:
		return fmt.Sprintf("本群尚未登记为任何单位的工作群，不能报告进展。%s由%s牵头，请在%s的工作群报告。",
			label, strings.Join(lead, "、"), strings.Join(lead, "或"))
	}
	return fmt.Sprintf("%s由%s牵头，进展请在%s的工作群报告；本群（%s）不能代为报告，未作记录。",
		label, strings.Join(lead, "、"), strings.Join(lead, "或"), strings.Join(chat, "、"))
}

// ReportUnknownTask answers a number no table holds; scoped says the report
// named table t, else it named only the number.
func ReportUnknownTask(t kb.Table, no int, scoped bool) Reply {
	label := fmt.Sprintf("第%d项", no)
	if scoped {
		label = TaskLabel(t, no)
	}
	return reportReply("未找到" + label + "，请核对任务编号。未作记录。")
}

// ReportAmbiguous answers a bare number that several tables hold, each led
// by one of the chat's units: which tables, and how to say which one.
func ReportAmbiguous(no int, tables []kb.Table) Reply {
	var labels, examples []string
	for _, t := range tables {
		labels = append(labels, TaskLabel(t, no))
		switch t {
		case kb.PeopleProjects:
			examples = append(examples, fmt.Sprintf("“实事%d号已完成”", no))
		case kb.KeyTasks:
			examples = append(examples, fmt.Sprintf("“重点工作%d号已完成”", no))
		case kb.Measures2019:
			examples = append(examples, fmt.Sprintf("“措施%d号已完成”", no))
		}
	}
	return reportReply(fmt.Sprintf("%s都由本群的单位牵头，请注明是哪一项，例如%s。未作记录。", strings.Join(labels, "和"), strings.Join(examples, "或")))
}

// ReportNoID answers a report whose message carries no ID.
func ReportNoID() Reply {
	return reportReply("这条消息没有编号，无法确认不是重复发送，未作记录。")
}

// ReportSeen answers a report message handled before.
func ReportSeen() Reply { return reportReply("这条报告已处理过，未重复记录。") }

// ReportStoreDown answers a report while the store does not answer: the
// official must know the report is not in the ledger.
func ReportStoreDown() Reply {
	return reportReply("系统存储暂时不可用，这条报告未记录，请稍后重发。")
}

// ReportRecorded confirms the lines of a report, one per task.
func ReportRecorded(lines []string) Reply {
	if len(lines) == 1 {
		return reportReply(lines[0])
	}
	return reportReply(fmt.Sprintf("已记录%d项：", len(lines)), lines...)
}

// ReportPartial says which tasks were recorded before the store failed.
func ReportPartial(lines []string) Reply {
	return reportReply("部分已记录：", append(lines, "记录失败，请稍后重发其余各项。")...)
}

// ReportRecordedLine confirms one recorded report; s is in its Display form
// (a plain, capped note).
func ReportRecordedLine(s kb.Status) string {
	line := fmt.Sprintf("已记录：%s 状态：%s（%s）", TaskLabel(s.Table, s.No), s.Label(), s.Byline())
	if s.Note != "" {
		line += "；说明：" + s.Note
	}
	if s.State == kb.Claimed {
		line += "；已提交审核，审核通过后办结"
	}
	return line
}

// ReportRepeatLine says a report on (t, no) was handled before; undo says
// it was a 撤销.
func ReportRepeatLine(t kb.Table, no int, undo bool) string {
	if undo {
		return TaskLabel(t, no) + "：这条撤销已处理过，未重复记录。"
	}
	return TaskLabel(t, no) + "：这条报告已处理过，未重复记录。"
}

// ReportNothingToUndoLine says (t, no) has no report (in state, "" for any)
// left to withdraw.
func ReportNothingToUndoLine(t kb.Table, no int, state kb.State) string {
	what := "报告"
	if state != "" {
		what = "“" + string(state) + "”报告"
	}
	return fmt.Sprintf("%s没有可撤销的%s，未作记录。", TaskLabel(t, no), what)
}

// ReportUndoneLine confirms an undo: the withdrawn report and what is in
// force now (cur, when ok; both in Display form).
func ReportUndoneLine(undone kb.Status, cur kb.Status, ok bool) string {
	now := "现状态：未报告（没有其他报告）"
	if ok {
		now = "现状态：" + cur.Label() + "（" + cur.Byline() + "）"
	}
	return fmt.Sprintf("已撤销：%s %s报告的“%s”；%s", TaskLabel(undone.Table, undone.No), undone.Byline(), undone.Label(), now)
}

// ReportConfirmQuestion asks before recording a vague report on labels;
// kept says whether a "确认" will record it (else the official must
// restate it, as in example "76号已完成").
func ReportConfirmQuestion(labels []string, state kb.State, kept bool, firstNo int) Reply {
	what := strings.Join(labels, "、") + string(state)
	if !kept {
		return reportReply(fmt.Sprintf("没有看懂这条报告：是要报告%s吗？请写明，例如“%d号已完成”。未作记录。", what, firstNo))
	}
	return reportReply(fmt.Sprintf("请确认：是要报告%s吗？回复“确认”记录，回复“取消”不记录。", what))
}

// ReportCancelled answers "取消" after ReportConfirmQuestion.
func ReportCancelled() Reply { return reportReply("已取消，未作记录。") }

// ReportConfirmLost answers "确认" when the kept report cannot be read.
func ReportConfirmLost() Reply {
	return reportReply("待确认的报告已失效，请重新发送，例如“76号已完成”。")
}

// ExtendCancelled answers "取消" to the date an 申请延期 tap on (t, no)
// asked for.
func ExtendCancelled(t kb.Table, no int) Reply {
	return reportReply(TaskLabel(t, no) + "的延期申请已取消，未作记录。")
}

// ExtendDropped is the notice put before the answer to a message that
// came instead of the date an 申请延期 tap on (t, no) asked for.
func ExtendDropped(t kb.Table, no int) string {
	return "没有收到新的完成时间，" + TaskLabel(t, no) + "的延期申请未提交，未作记录。如需延期，请再点“申请延期”或发送“" +
		fmt.Sprintf("%d号延期到10月底", no) + "”。"
}

// WithNotice puts notice before r, as its first line.
func WithNotice(notice string, r Reply) Reply {
	if r.Head != "" {
		r.Lines = append([]string{r.Head}, r.Lines...)
	}
	r.Head = notice
	return r
}
