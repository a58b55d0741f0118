package handlers

import (
	"fmt"
	"strings"
	"time"

	"duban/kb"
)

// IntentUrge is the Reply.Intent of every 催办 message: the urgent reminder
// a lead unit's chat receives and the replies in the chat that urged.
const IntentUrge = "urge"

// An Urging is one 催办 as the lead unit's chat reads it.
type Urging struct {
	Record *kb.Record
	From   string // the chat that urged (督查办群, 茅敏勇督办群)
	By     string // who sent it, "" when unknown
	N      int    // this is the N-th urging of the task
	Light  string // the task's colour (progress.Light)
	Unit   string // the lead unit the receiving chat speaks for
	// Status is the report in force, e.g. "推进中（住建局 9月3日）"; "" for none.
	Status string
}

// UrgeNotice renders the urgent reminder a lead unit's chat receives at
// once when an authorised chat sends "催办 76号": the task's digest line,
// who urged and how often, and how to answer.
func UrgeNotice(u Urging, now time.Time, tables []kb.TableInfo) Reply {
	lh := &Handler{tables: tables}
	r := u.Record
	from := u.From
	if u.By != "" {
		from += "（" + u.By + "）"
	}
	head := fmt.Sprintf("【催办】%s催办%s（第%d次催办）", from, lh.tableLabel(r.Table, r.No, false), u.N)
	it := DigestItem{Record: r, Light: u.Light, Note: u.Status}
	lines := []string{lh.digestLine(it, daysLeft(r, dayOf(now)))}
	if len(r.LeadUnits) > 0 {
		lines = append(lines, "牵头单位："+join(r.LeadUnits))
	}
	lines = append(lines, fmt.Sprintf("请尽快报告进展：回复“%d号进展：……”或“%d号已完成”。", r.No, r.No))
	return Reply{
		Intent:  IntentUrge,
		Head:    head,
		Lines:   lines,
		Cite:    digestCite([]*kb.Record{r}),
		Sources: []kb.Source{r.Source},
		Tasks:   []TaskAction{digestAction(it, u.Unit)},
	}
}

// UrgeSent is the reply in the chat that urged: where the reminder went and
// how often the task has now been urged.
func UrgeSent(r *kb.Record, chats []string, n int, tables []kb.TableInfo) Reply {
	lh := &Handler{tables: tables}
	return Reply{
		Intent:  IntentUrge,
		Head:    fmt.Sprintf("已催办%s：已向%s发出催办提醒（%s）。", lh.tableLabel(r.Table, r.No, false), strings.Join(chats, "、"), UrgeCount(n)),
		Sources: []kb.Source{r.Source},
	}
}

// UrgeRefused is the polite answer to 催办 from a chat that may not urge.
func UrgeRefused(no int) Reply {
	return Reply{
		Intent: IntentUrge,
		Head:   "催办需由督查办或分管领导的工作群发起，本群不能催办。",
		Lines:  []string{fmt.Sprintf("如需了解该任务，可发送“%d号任务”查看。", no)},
	}
}

// UrgeNoChat says that no configured chat speaks for the task's lead units,
// so nothing was sent.
func UrgeNoChat(r *kb.Record, tables []kb.TableInfo) Reply {
	lh := &Handler{tables: tables}
	units := "牵头单位"
	if len(r.LeadUnits) > 0 {
		units += join(r.LeadUnits)
	}
	return Reply{
		Intent:   IntentUrge,
		Head:     fmt.Sprintf("%s的%s没有配置工作群，未能发出催办。", lh.tableLabel(r.Table, r.No, false), units),
		Sources:  []kb.Source{r.Source},
		NotFound: true,
	}
}

// UrgeUnknown says that no table holds the task a 催办 names: numbered no
// in table t when the message named the table (scoped), else in any.
func UrgeUnknown(t kb.Table, no int, scoped bool, tables []kb.TableInfo) Reply {
	label := fmt.Sprintf("第%d项任务", no)
	if scoped {
		label = (&Handler{tables: tables}).tableLabel(t, no, false)
	}
	return Reply{Intent: IntentUrge, NotFound: true, Head: "没有找到" + label + "，未能催办。"}
}

// UrgeFailed says the urgent reminder could not be sent now; the chat may
// send 催办 again (the ledger keeps a repeat from reaching the unit twice).
func UrgeFailed(r *kb.Record, tables []kb.TableInfo) Reply {
	lh := &Handler{tables: tables}
	return Reply{Intent: IntentUrge, Head: fmt.Sprintf("%s的催办提醒暂未发出，请稍后再发一次催办。", lh.tableLabel(r.Table, r.No, false))}
}

// UrgeTried is the emulator's answer to 催办: where the urgent reminder
// would go and what it says, marked as not sent.
func UrgeTried(chats []string, notice Reply) Reply {
	lines := append([]string{notice.Head}, notice.Lines...)
	return Reply{
		Intent:  IntentUrge,
		Head:    fmt.Sprintf("（模拟，未发送）催办将发往%s，内容如下：", strings.Join(chats, "、")),
		Lines:   lines,
		Cite:    notice.Cite,
		Sources: notice.Sources,
	}
}
