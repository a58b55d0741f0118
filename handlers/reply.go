package handlers

import "duban/kb"

// A Reply is one answer, kept structured so each platform can render it in
// its own markdown dialect and size limit (see Render).
type Reply struct {
	Intent   string      `json:"intent"`
	Head     string      `json:"head"`            // the fact that answers the question, first line
	Lines    []string    `json:"lines,omitempty"` // details or list items, one per line
	More     string      `json:"more,omitempty"`  // "还有12项未列出，回复“更多”查看"
	Cite     string      `json:"cite,omitempty"`  // "来源：2020年市政府重点工作任务分解表 第76项"
	Sources  []kb.Source `json:"sources,omitempty"`
	NotFound bool        `json:"not_found,omitempty"`
	// Mentions are mobiles (or user IDs) to @ in a group push; senders that
	// cannot @ ignore them.
	Mentions []string `json:"mentions,omitempty"`
	// Tasks are the tasks a reminder offers one-tap actions on (cards or
	// links); nil on answers.
	Tasks []TaskAction `json:"tasks,omitempty"`
	// Turn is the follow-up state the bot stores for the next question of
	// the same chat and user; nil keeps the previous one.
	Turn *Turn `json:"-"`
	// Explain is how the question was understood (frame, intents' scores,
	// records chosen); nil for replies not made by Answer (Digest).
	Explain *Explain `json:"-"`
}

// Text returns the reply as plain text, one message, unsplit.
func (r Reply) Text() string { return Render(r, Plain)[0] }
