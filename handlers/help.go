package handlers

import (
	"regexp"
	"unicode/utf8"
)

var rePronoun = regexp.MustCompile(`那|它|这个|那个|这项|那项|该项|其|上面|刚才|此|单位|领导|时间|日期|任务|事项`)

// help lists what the bot answers, with examples officials can copy.
func (h *Handler) help(q *query) Reply {
	return Reply{Intent: IntentHelp, Head: "我是督办助手，根据已印发的任务文件回答，并注明出处。可以这样问：",
		Lines: []string{
			"・任务：76号任务谁牵头；第七十六项啥时候完成；任务76配合单位；实事第12项；南通第76项进展",
			"・单位：交通局牵头哪些任务；住建局配合哪些任务",
			"・领导：某某负责的任务；某某分管哪些部门；交通运输局归谁分管",
			"・时间：8月底前要完成哪些；本月到期；下周到期；已逾期",
			"・内容：垃圾分类谁牵头；研发经费占比目标",
			"・追问：那它什么时候到期？配合单位呢？更多",
		}}
}

// followUp resolves "那它什么时候到期？", "配合单位呢" against the records
// the conversation's last answer was about.
func (h *Handler) followUp(q *query) (Reply, bool) {
	if q.prev == nil || len(q.prev.Nos) == 0 || len(q.nos) > 0 || len(q.units) > 0 || len(q.persons) > 0 {
		return Reply{}, false
	}
	if q.fields == 0 || utf8.RuneCountInString(q.q) > 16 {
		return Reply{}, false
	}
	// "那它什么时候到期？" names nothing new; "高标准农田什么时候完成" does.
	if core := rePronoun.ReplaceAllString(keywordCore(q.q), ""); core != "" {
		return Reply{}, false
	}
	nq := *q
	nq.nos = q.prev.Nos
	nq.table, nq.scoped = q.prev.Table, true
	return h.tasks(&nq), true
}
