package wecom

import (
	"context"
	"encoding/json"
	"fmt"

	"duban/handlers"
	"duban/outbound"
)

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

// rendered makes one outbound.Message per piece: mk builds its body and
// edit, if set, amends the i-th (mentions on the first). Blank pieces
// give no messages, so an empty reply is caught before anything is sent.
func rendered(pieces []string, mk func(string) *outMsg, edit func(i int, m *outMsg)) []outbound.Message {
	if blank(pieces) {
		return nil
	}
	out := make([]outbound.Message, len(pieces))
	for i, p := range pieces {
		m := mk(p)
		if edit != nil {
			edit(i, m)
		}
		out[i] = outbound.Message{Text: p, Body: encode(m)}
	}
	return out
}

// encode is m's JSON; an outMsg holds only strings and numbers, so it
// always encodes.
func encode(m *outMsg) []byte {
	b, err := json.Marshal(m)
	if err != nil {
		panic("wecom: encode outMsg: " + err.Error())
	}
	return b
}

// sendAll renders r with s and posts each message in order: the
// bot.Sender side of every outbound sender, with their error text.
func sendAll(ctx context.Context, what string, s outbound.Sender, r handlers.Reply) error {
	msgs := s.Render(r)
	if len(msgs) == 0 {
		return fmt.Errorf("wecom %s: %w", what, ErrEmptyReply)
	}
	for i, m := range msgs {
		if err := s.Post(ctx, m); err != nil {
			return fmt.Errorf("wecom %s: message %d of %d: %w", what, i+1, len(msgs), err)
		}
	}
	return nil
}
