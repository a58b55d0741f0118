package wecom

// Outbound JSON bodies (PROTOCOLS §2, §3). The mentioned lists exist only
// on text messages; markdown @ needs <@userid> in the content instead.

type content struct {
	Content string `json:"content"`
}

type textContent struct {
	Content             string   `json:"content"`
	MentionedList       []string `json:"mentioned_list,omitempty"`
	MentionedMobileList []string `json:"mentioned_mobile_list,omitempty"`
}

// outMsg is a webhook, response_url or appchat body; message/send adds
// recipients and the agent id.
type outMsg struct {
	ChatID   string       `json:"chatid,omitempty"`  // appchat/send
	ToUser   string       `json:"touser,omitempty"`  // message/send
	AgentID  int64        `json:"agentid,omitempty"` // message/send: an integer, not silenceper's string
	MsgType  string       `json:"msgtype"`
	Text     *textContent `json:"text,omitempty"`
	Markdown *content     `json:"markdown,omitempty"`
}

func markdownMsg(s string) *outMsg {
	return &outMsg{MsgType: "markdown", Markdown: &content{Content: s}}
}

func textMsg(s string) *outMsg {
	return &outMsg{MsgType: "text", Text: &textContent{Content: s}}
}
