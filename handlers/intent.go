package handlers

import (
	"regexp"
	"strings"
)

// Intents, as reported in Reply.Intent, `ask --json` and metrics.
const (
	IntentHelp       = "help"
	IntentCount      = "count"
	IntentTask       = "task"         // fields of numbered tasks
	IntentUnitTasks  = "unit_tasks"   // 交通局牵头哪些
	IntentLeaderTask = "leader_tasks" // 周国强负责的任务
	IntentDue        = "due"          // 8月底前要完成哪些, 本月到期, 已逾期
	IntentDivision   = "division"     // 茅敏勇分管哪些部门
	IntentOverseer   = "overseer"     // 交通运输局归谁分管
	IntentLiaison    = "liaison"      // 谁联系三星镇
	IntentMembers    = "members"      // 联席会议召集人
	IntentIndicator  = "indicator"    // 研发经费占比目标
	IntentQuota      = "quota"        // 开发区新增上市企业任务
	IntentKeyword    = "keyword"      // 垃圾分类谁牵头
	IntentSearch     = "search"       // cited passages
	IntentMore       = "more"         // 更多
	IntentNotFound   = "not_found"
)

// A field is a part of a task record a question asks for.
type field int

const (
	fLeader field = 1 << iota
	fUnit
	fCo
	fDeadline
	fProgress
	fText
)

// fields reads which parts of a record the question wants. "谁牵头" and
// "谁负责" ask for both the leader and the lead unit: officials mean the
// person and the office together.
func fields(q string) field {
	var f field
	if containsAny(q, "牵头人", "牵头市长", "牵头的市长", "牵头领导", "分管领导", "哪位领导", "哪个领导", "责任领导", "哪位市长", "哪个市长", "leader", "who leads", "who is leading", "who's leading", "who is in charge") {
		f |= fLeader
	}
	if containsAny(q, "牵头人") {
		f |= fLeader | fUnit // the person and the office
	}
	if containsAny(q, "牵头单位", "牵头部门", "哪个部门", "哪个单位", "哪些部门", "哪些单位", "哪家", "什么部门", "什么单位", "主办", "department", "unit", "agency", "bureau") && !containsAny(q, "协同单位", "配合单位", "协同部门", "配合部门") {
		f |= fUnit
	}
	if containsAny(q, "协同", "配合", "协助", "协作", "参与", "co-unit", "cooperat", "co unit", "support") {
		f |= fCo
	}
	if containsAny(q, "什么时候", "啥时候", "何时", "时限", "期限", "截止", "到期", "完成时间", "几月", "哪天", "deadline", "when", "due", "多久") {
		f |= fDeadline
	}
	if containsAny(q, "进展", "进度", "推进情况", "完成情况", "落实情况", "怎么样", "如何了", "完成得", "做得", "progress", "status") {
		f |= fProgress
	}
	if containsAny(q, "内容", "是什么", "是啥", "具体", "详情", "详细", "干什么", "做什么", "要求", "what is", "about", "describe") {
		f |= fText
	}
	if containsAny(q, "谁牵头", "谁负责", "谁管", "谁来", "由谁", "谁抓", "负责人", "责任人", "负责部门", "责任单位", "who", "哪些部门负责", "哪个部门负责", "由哪些部门", "由哪个部门") && f&(fCo|fDeadline|fProgress) == 0 {
		f |= fLeader | fUnit
	}
	if strings.Contains(q, "谁") && f == 0 {
		f |= fLeader | fUnit
	}
	return f
}

var (
	reHelp     = regexp.MustCompile(`^(帮助|help|\?|？|菜单|怎么用|使用说明|你能做什么|你会什么|能问什么|功能|/help|hi|hello|你好)[?？!！。]*$`)
	reCount    = regexp.MustCompile(`多少项|多少件|多少个任务|多少条|几项|几件|一共|总共|共有|几个方面|多少个方面|几个部分|几类|几大类|how many`)
	reListWord = regexp.MustCompile(`哪些|哪几|哪项|什么任务|什么工作|有啥|列出|清单|任务有|工作有|的任务|的工作|的项目|的事|which|what tasks|list`)
	reMore     = regexp.MustCompile(`^(更多|还有呢|还有吗|继续|下一页|下页|more|next)[?？!！。]*$`)
)

// isEnglish reports whether a question is written in English.
func isEnglish(q string) bool {
	letters, han := 0, 0
	for _, r := range q {
		switch {
		case r >= 'a' && r <= 'z':
			letters++
		case r >= 0x4e00 && r <= 0x9fff:
			han++
		}
	}
	return letters >= 6 && letters > 2*han
}
