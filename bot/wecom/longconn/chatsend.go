package longconn

import (
	"context"
	"encoding/json"

	"duban/handlers"
	"duban/outbound"
)

// ChatSender is also an outbound.Sender, so reminders reach a 智能机器人
// group rendered once and posted message by message.
var _ outbound.Sender = ChatSender{}

// Render implements outbound.Renderer: WeCom markdown within the
// 智能机器人's 20,480 bytes, one aibot_send_msg body per piece. It needs
// no Client, so a dry run renders with ChatSender{}.
func (s ChatSender) Render(r handlers.Reply) []outbound.Message {
	pieces := handlers.Render(r, handlers.WeComAIBot)
	if outbound.Blank(pieces) {
		return nil
	}
	msgs := make([]outbound.Message, len(pieces))
	for i, p := range pieces {
		body, err := json.Marshal(newMarkdownBody(s.ChatID, p))
		if err != nil {
			panic("longconn: encode markdown body: " + err.Error()) // strings only: cannot fail
		}
		msgs[i] = outbound.Message{Text: p, Body: body}
	}
	return msgs
}

// Limit implements outbound.Renderer.
func (s ChatSender) Limit(handlers.Reply) int { return handlers.WeComAIBot.Limit }

// Post implements outbound.Sender: one aibot_send_msg of a rendered body,
// as a card route posts it.
func (s ChatSender) Post(ctx context.Context, m outbound.Message) error {
	return CardSender(s).Post(ctx, m)
}
