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
}
