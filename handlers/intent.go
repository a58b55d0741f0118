package handlers

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
	IntentDuty       = "duty" // 金融监管局在联席会议里负责什么
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
	fDuty
	fTarget
	fWho
	fWhichUnit
	fRole // the role a named unit has in a task
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
