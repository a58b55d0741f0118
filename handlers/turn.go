package handlers

import "duban/kb"

// A Turn is what a conversation remembers between questions: the records
// the last answer was about, so "那它什么时候到期？" and "配合单位呢" resolve.
type Turn struct {
	Table kb.Table `json:"table,omitempty"`
	Nos   []int    `json:"nos,omitempty"`
	// Unit or Leader the last list was about, for "还有呢"/"更多".
	Unit   string `json:"unit,omitempty"`
	Leader string `json:"leader,omitempty"`
	Intent string `json:"intent,omitempty"`
	Offset int    `json:"offset,omitempty"` // items already shown of the last list
	Query  string `json:"query,omitempty"`  // the question that produced the last list
}
