package wecom

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"duban/bot"
	"duban/handlers"
)

// WebhookConfig configures a group-robot webhook (群机器人 / 消息推送).
type WebhookConfig struct {
	Key        Secret       // the key= of the webhook URL
	BaseURL    string       // default https://qyapi.weixin.qq.com
	HTTPClient *http.Client // default: its own client with a 15 s timeout
}

// A Webhook sends replies to one group through its robot webhook:
// markdown (4096 bytes) normally, text (2048 bytes) with
// mentioned_mobile_list / mentioned_list when the reply has Mentions,
// because markdown cannot @ by mobile. One POST per piece; the robot takes
// 20 messages a minute, which the scheduler's limiter keeps to.
type Webhook struct {
	c   client
	url string
	key string
}

var _ bot.Sender = (*Webhook)(nil)

// NewWebhook returns a webhook sender; it fails on an empty key or a bad
// base URL.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	if cfg.Key == "" {
		return nil, errors.New("wecom: webhook key is empty")
	}
	c, err := newClient(cfg.BaseURL, cfg.HTTPClient, string(cfg.Key))
	if err != nil {
		return nil, err
	}
	return &Webhook{c: c, key: string(cfg.Key),
		url: c.base + "/cgi-bin/webhook/send?key=" + url.QueryEscape(string(cfg.Key))}, nil
}

// Send implements bot.Sender. Errors are *APIError (check Retryable) or
// *NetError, with the key redacted.
func (w *Webhook) Send(ctx context.Context, r handlers.Reply) error {
	msgs := webhookMessages(r)
	if len(msgs) == 1 && msgContent(msgs[0]) == "" {
		return fmt.Errorf("wecom webhook: %w", ErrEmptyReply)
	}
	for i, m := range msgs {
		if err := w.c.do(ctx, "webhook/send", w.url, m, &apiStatus{}); err != nil {
			return fmt.Errorf("wecom webhook: message %d of %d: %w", i+1, len(msgs), err)
		}
	}
	return nil
}

// Parts implements bot.PartCounter: the messages Send posts for r.
func (w *Webhook) Parts(r handlers.Reply) int { return len(webhookMessages(r)) }

// webhookMessages renders r into webhook bodies. The mentions go on the
// first message only, so each person is notified once.
func webhookMessages(r handlers.Reply) []*outMsg {
	if len(r.Mentions) == 0 {
		var out []*outMsg
		for _, p := range handlers.Render(r, handlers.WeComMarkdown) {
			out = append(out, markdownMsg(p))
		}
		return out
	}
	var out []*outMsg
	for i, p := range handlers.Render(r, handlers.WeComText) {
		m := textMsg(p)
		if i == 0 {
			m.Text.MentionedList, m.Text.MentionedMobileList = splitMentions(r.Mentions)
		}
		out = append(out, m)
	}
	return out
}

// splitMentions sorts Reply.Mentions into user IDs and mobiles: an entry of
// 7+ digits (optionally +) is a mobile; "@all" and anything else a userid.
func splitMentions(ms []string) (users, mobiles []string) {
	for _, m := range ms {
		m = strings.TrimSpace(m)
		switch {
		case m == "":
		case isMobile(m):
			mobiles = append(mobiles, m)
		default:
			users = append(users, m)
		}
	}
	return users, mobiles
}

func isMobile(s string) bool {
	s = strings.TrimPrefix(s, "+")
	if len(s) < 7 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func msgContent(m *outMsg) string {
	if m.Text != nil {
		return m.Text.Content
	}
	return m.Markdown.Content
}
