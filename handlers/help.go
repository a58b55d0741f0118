package handlers

import (
	"fmt"
	"strings"

	"duban/kb"
)

// help lists what the bot answers, with examples built from the loaded
// documents (a real task number, a real unit, a real leader), so every
// example works when copied.
func (h *Handler) help(q *query) Reply {
	ex := h.examples()
	lines := []string{
		fmt.Sprintf("・任务：%d号任务谁牵头；第%s项啥时候完成；任务%d配合单位", ex.no, cnNumber(ex.no), ex.no),
		fmt.Sprintf("・单位：%s牵头哪些任务；%s配合哪些任务", ex.unit, ex.unit),
		"・时间：" + ex.month + "底前要完成哪些；本月到期；两周内到期；已逾期",
		"・追问：那它什么时候到期？配合单位呢？更多",
	}
	if ex.person != "" {
		lines = append(lines[:2], append([]string{fmt.Sprintf("・领导：%s负责的任务；%s分管哪些部门", ex.person, ex.person)}, lines[2:]...)...)
	}
	if ex.topic != "" {
		lines = append(lines, "・内容："+ex.topic+"谁牵头")
	}
	if q.en {
		return Reply{Intent: IntentHelp, Head: "I answer from the loaded task documents and cite the source. Try:",
			Lines: []string{fmt.Sprintf("who leads task %d; when is task %d due", ex.no, ex.no), "which tasks are overdue", "更多 / more for the next page"}}
	}
	return Reply{Intent: IntentHelp, Head: "我是督办助手，根据已印发的任务文件回答，并注明出处。可以这样问：", Lines: lines}
}

// helpExamples are real names and numbers of the loaded documents.
type helpExamples struct {
	no                  int
	unit, person, month string
	topic               string
}

func (h *Handler) examples() helpExamples {
	ex := helpExamples{no: 1, unit: "某局", month: "12月"}
	var first *kb.Record
	for _, t := range h.tables {
		for _, r := range h.b.Records() {
			if r.Table == t.ID && len(r.LeadUnits) > 0 {
				first = &r
				break
			}
		}
		if first != nil {
			break
		}
	}
	if first == nil {
		return ex
	}
	ex.no = first.No
	ex.unit = first.LeadUnits[0]
	if len(first.LeadLeaders) > 0 {
		ex.person = first.LeadLeaders[0]
	}
	if first.Due != nil {
		ex.month = fmt.Sprintf("%d月", int(first.Due.Month()))
	}
	// the first clause of a text is an example topic when it is short
	c, _, _ := strings.Cut(firstClause(first.Text), "，")
	if n := len([]rune(c)); n >= 4 && n <= 10 {
		ex.topic = c
	}
	return ex
}

// cnNumber writes 1..999 in Chinese numerals, as officials type them.
func cnNumber(n int) string {
	d := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	if n <= 0 || n > 999 {
		return fmt.Sprint(n)
	}
	var b strings.Builder
	if n >= 100 {
		b.WriteString(d[n/100] + "百")
		n %= 100
		if n > 0 && n < 10 {
			b.WriteString("零")
		}
	}
	if n >= 10 {
		if n >= 20 || b.Len() > 0 {
			b.WriteString(d[n/10])
		}
		b.WriteString("十")
		n %= 10
	}
	if n > 0 {
		b.WriteString(d[n])
	}
	return b.String()
}

// followUp resolves "那它什么时候到期？", "配合单位呢" against the records
// the conversation's last answer was about: the frame names no new
// entity and no topic, only fields.
func (h *Handler) followUp(q *query) (Reply, bool) {
	if q.prev == nil || len(q.prev.Nos) == 0 {
		return Reply{}, false
	}
	nq := *q
	nq.nos = q.prev.Nos
	nq.table, nq.scoped = q.prev.Table, true
	return h.tasks(&nq), true
}
