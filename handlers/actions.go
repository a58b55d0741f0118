package handlers

import "duban/kb"

// A TaskAction is a task a reply lets its reader act on with one tap
// (已完成, 申请延期, 查看详情). Reminders carry them so that a route that can
// show buttons renders a card and any other route renders signed links; the
// text of the reply stays what it is without them.
type TaskAction struct {
	Table kb.Table `json:"table"`
	No    int      `json:"no"`
	Title string   `json:"title"`           // the short title of the digest line
	Due   string   `json:"due,omitempty"`   // "8月31日"
	Light string   `json:"light,omitempty"` // progress.Light ("red", "yellow", …)
	Unit  string   `json:"unit,omitempty"`  // the unit the receiving chat reports for
	// Verbs are the actions offered (bot's card verbs: "approve",
	// "return", …); nil offers a unit's: done, extend, detail. A review
	// request offers a reviewer's.
	Verbs []string `json:"verbs,omitempty"`
}

// Unit's and reviewers' card verbs, as bot.CardKey spells them (handlers
// does not import bot; bot's constants are the same strings).
var (
	UnitVerbs      = []string{"done", "extend", "detail"}
	ClaimVerbs     = []string{"approve", "return"}
	ExtensionVerbs = []string{"approve_ext", "reject_ext"}
)

// Offered returns a's verbs, a unit's when none are set.
func (a TaskAction) Offered() []string {
	if len(a.Verbs) > 0 {
		return a.Verbs
	}
	return UnitVerbs
}

// VerbLabel is a verb's button text: 已完成, 申请延期, 查看详情, 通过, 退回,
// 同意延期, 不同意延期.
func VerbLabel(verb string) string {
	switch verb {
	case "done":
		return "已完成"
	case "extend":
		return "申请延期"
	case "detail":
		return "查看详情"
	case "approve":
		return "通过（办结）"
	case "return":
		return "退回"
	case "approve_ext":
		return "同意延期"
	case "reject_ext":
		return "不同意延期"
	}
	return verb
}
