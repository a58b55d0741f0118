package handlers

import (
	"fmt"
	"strings"

	"duban/kb"
)

// An ActionView is what a card shows after a tap (or a link page after a
// confirmation), composed here and carried to the platforms as a
// bot.CardView by package report.
type ActionView struct {
	Title   string
	Desc    string
	Lines   []string
	Refused bool // the tap was not allowed; Title says why
	Final   bool // nothing left to tap
}

func reviewReply(head string, lines ...string) Reply {
	return Reply{Intent: IntentReview, Head: head, Lines: lines}
}

// statusPhrase is 待审核（住建局 9月3日）, with the note after a colon.
func statusPhrase(s kb.Status) string {
	out := s.Label()
	if by := s.Byline(); by != "" {
		out += "（" + by + "）"
	}
	if s.Note != "" {
		out += "：" + s.Note
	}
	return out
}

// ViewRecorded is the card after a unit's tap was recorded as s (Display
// form) by user.
func ViewRecorded(s kb.Status, user string) ActionView {
	v := ActionView{Title: TaskLabel(s.Table, s.No) + " " + s.Label(), Desc: strings.TrimSpace(user + " " + dateOf(s)), Final: true}
	switch s.State {
	case kb.Claimed:
		v.Title = TaskLabel(s.Table, s.No) + " 已登记完成，待审核"
		v.Lines = []string{"审核通过后办结，提醒随之停止；如被退回，提醒恢复。"}
	case kb.Extension:
		v.Lines = []string{"延期申请已提交，待审核。"}
	}
	return v
}

// ViewDecided is the card after a reviewer's decision s (Display form).
func ViewDecided(s kb.Status, user string) ActionView {
	v := ActionView{Title: TaskLabel(s.Table, s.No) + " " + s.Label(), Desc: strings.TrimSpace(user + " " + dateOf(s)), Final: true}
	switch s.State {
	case kb.Closed:
		v.Lines = []string{"已办结，提醒停止。"}
	case kb.Returned:
		v.Lines = []string{"已退回牵头单位，提醒恢复。"}
	}
	if s.Note != "" {
		v.Lines = append(v.Lines, "意见："+s.Note)
	}
	return v
}

func dateOf(s kb.Status) string {
	if s.At.IsZero() {
		return ""
	}
	t := s.At.In(kb.Location)
	return fmt.Sprintf("%d月%d日 %02d:%02d", int(t.Month()), t.Day(), t.Hour(), t.Minute())
}

// ViewNotAuthorized refuses a unit's tap from a chat that does not speak
// for the task's lead unit.
func ViewNotAuthorized(t kb.Table, no int, leadUnits, chatUnits []string) ActionView {
	return ActionView{Title: "未记录：本群不能代为报告", Lines: []string{notAuthorized(t, no, leadUnits, chatUnits)}, Refused: true}
}

// ViewNotReviewer refuses a reviewer's button pressed by someone else.
func ViewNotReviewer(t kb.Table, no int) ActionView {
	return ActionView{Title: "未记录：只有审核人可以审核", Lines: []string{TaskLabel(t, no) + "的办结和延期由督办部门审核。"}, Refused: true}
}

// ViewNotPending says a reviewer's decision found nothing to decide: the
// task is in state cur (ok false: no report).
func ViewNotPending(t kb.Table, no int, cur kb.Status, ok bool) ActionView {
	return ActionView{Title: TaskLabel(t, no) + " 没有待审核的报告", Lines: []string{currentLine(cur, ok)}, Refused: true}
}

// ViewRepeat says the same tap was handled before; cur is what is in force.
func ViewRepeat(t kb.Table, no int, cur kb.Status, ok bool) ActionView {
	return ActionView{Title: TaskLabel(t, no) + " 这次点击已处理过，未重复记录", Lines: []string{currentLine(cur, ok)}, Final: true}
}

// ViewNeedDate asks for the new date of an extension the route could not
// carry.
func ViewNeedDate(t kb.Table, no int) ActionView {
	return ActionView{Title: "申请延期需写明新的完成时限", Lines: []string{fmt.Sprintf("请在群里发送“%d号延期到10月底，原因：…”。未作记录。", no)}}
}

// ViewAskDate is the card after an 申请延期 tap on a card that cannot
// carry a date: the tapper's next message within minutes is taken as the
// date, so the card says which task and how to answer.
func ViewAskDate(t kb.Table, no int, minutes int) ActionView {
	return ActionView{Title: "申请延期：" + TaskLabel(t, no),
		Lines: []string{"请回复新的完成时间，如“10月底”，原因可选（如“10月底，原因：拆迁未完成”）", fmt.Sprintf("回复前未作记录，%d分钟内有效", minutes)}}
}

// PendingButton is the new name of the button a unit tapped on a card
// that keeps its buttons until the review (a WeCom app card, renamed for
// the tapper alone).
func PendingButton(verb string) string {
	if verb == "extend" {
		return "延期待审核"
	}
	return "已登记，待审核"
}

// ViewUnknownTask refuses a tap on a task the knowledge base no longer holds.
func ViewUnknownTask(t kb.Table, no int) ActionView {
	return ActionView{Title: "未找到" + TaskLabel(t, no), Refused: true, Final: true}
}

// ViewStoreDown says a tap was not recorded because the store failed.
func ViewStoreDown() ActionView {
	return ActionView{Title: "系统存储暂时不可用，未记录，请稍后再点", Refused: true}
}

// ViewDetail is 查看详情: the task and its status.
func ViewDetail(r kb.Record, cur kb.Status, ok bool) ActionView {
	v := ActionView{Title: TaskLabel(r.Table, r.No), Lines: []string{r.Text}}
	if len(r.LeadUnits) > 0 {
		v.Lines = append(v.Lines, "牵头单位："+strings.Join(r.LeadUnits, "、"))
	}
	if r.DeadlineText != "" {
		v.Lines = append(v.Lines, "完成时限："+noSpace(r.DeadlineText))
	}
	v.Lines = append(v.Lines, currentLine(cur, ok))
	return v
}

func currentLine(cur kb.Status, ok bool) string {
	if !ok {
		return "现状态：未报告"
	}
	return "现状态：" + statusPhrase(cur)
}

// ReviewNotReviewer answers a decision typed by someone who does not review.
func ReviewNotReviewer() Reply {
	return reviewReply("只有督办部门（审核人）可以办结、退回或审批延期，未作记录。")
}

// ReviewOff answers a decision while review is switched off.
func ReviewOff() Reply {
	return reviewReply("未启用办结审核：单位报告“已完成”即记为完成，无需审核。未作记录。")
}

// ReviewDecided confirms decisions, one line per task.
func ReviewDecided(lines []string) Reply {
	if len(lines) == 1 {
		return reviewReply(lines[0])
	}
	return reviewReply(fmt.Sprintf("已审核%d项：", len(lines)), lines...)
}

// ReviewDecidedLine confirms one decision s (Display form).
func ReviewDecidedLine(s kb.Status) string {
	line := "已记录：" + TaskLabel(s.Table, s.No) + " " + statusPhrase(s)
	switch s.State {
	case kb.Closed:
		line += "；提醒停止"
	case kb.Returned:
		line += "；提醒恢复"
	}
	return line
}

// ReviewNotPendingLine says (t, no) has nothing a decision applies to.
func ReviewNotPendingLine(t kb.Table, no int, cur kb.Status, ok bool) string {
	return TaskLabel(t, no) + "没有待审核的报告（" + currentLine(cur, ok) + "），未作记录。"
}

// ReviewRequest is the message a reviewer gets for one pending item s
// (Display form) on record r, with 通过/退回 (or 同意/不同意延期) actions.
func ReviewRequest(r kb.Record, s kb.Status) Reply {
	label := TaskLabel(r.Table, r.No)
	verbs, how := ClaimVerbs, fmt.Sprintf("回复“办结%d号”通过，或“退回%d号 原因”退回。", r.No, r.No)
	what := "报告已完成"
	if s.State == kb.Extension {
		verbs, how = ExtensionVerbs, fmt.Sprintf("回复“同意延期%d号”或“不同意延期%d号 原因”。", r.No, r.No)
		what = s.Label()
	}
	lines := []string{cut(r.Text, 60), s.Byline() + what}
	if s.Note != "" {
		lines = append(lines, "说明："+s.Note)
	}
	lines = append(lines, how)
	return Reply{Intent: IntentReview, Head: "待审核：" + label,
		Lines: lines,
		Tasks: []TaskAction{{Table: r.Table, No: r.No, Title: shortTitle(r.Text), Unit: s.Unit, Verbs: verbs}}}
}

// byVerb is how an answer says who stands behind a status: a unit
// reported it (报告), a reviewer decided it (审核).
func byVerb(s kb.Status) string {
	if s.Reviewer != "" {
		return "审核"
	}
	return "报告"
}
