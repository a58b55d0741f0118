package wecom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"duban/bot"
	"duban/handlers"
	"duban/outbound"
)

// WebhookConfig configures a group-robot webhook (群机器人 / 消息推送).
type WebhookConfig struct {
	Key        Secret       // the key= of the webhook URL
	BaseURL    string       // default https://qyapi.weixin.qq.com
	HTTPClient *http.Client // default: its own client with a 15 s timeout
}

// Validate reports what is missing, named by YAML key relative to the
// chat entry: the one check of a wecom_webhook chat, for config loading
// and for NewWebhook alike.
func (c WebhookConfig) Validate() error {
	if c.Key == "" {
		return errors.New("webhook_key: missing")
	}
	return nil
}

// A Webhook sends replies to one group through its robot webhook:
// markdown (4096 bytes) normally, text (2048 bytes) with
// mentioned_mobile_list / mentioned_list when the reply has Mentions,
// because markdown cannot @ by mobile. One POST per message; the robot
// takes 20 messages a minute, which outbound.RateLimit keeps to.
type Webhook struct {
	WebhookFormat
	c   client
	url string
	key string
}

var (
	_ bot.Sender      = (*Webhook)(nil)
	_ outbound.Sender = (*Webhook)(nil)
)

// NewWebhook returns a webhook sender; it fails on an empty key or a bad
// base URL.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("wecom webhook: %w", err)
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
	return sendAll(ctx, "webhook", w, r)
}

// Post implements outbound.Sender: one webhook/send of a rendered body.
func (w *Webhook) Post(ctx context.Context, m outbound.Message) error {
	return w.c.do(ctx, "webhook/send", w.url, json.RawMessage(m.Body), &apiStatus{})
}

// WebhookFormat renders replies as a group-robot webhook posts them; it
// needs no key, so a dry run shows what a run sends. The mentions go on
// the first message only, so each person is notified once.
type WebhookFormat struct{}

// Render implements outbound.Renderer.
func (WebhookFormat) Render(r handlers.Reply) []outbound.Message {
	if len(r.Mentions) == 0 {
		return rendered(handlers.Render(r, handlers.WeComMarkdown), markdownMsg, nil)
	}
	return rendered(handlers.Render(r, handlers.WeComText), textMsg, func(i int, m *outMsg) {
		if i == 0 {
			m.Text.MentionedList, m.Text.MentionedMobileList = splitMentions(r.Mentions)
		}
	})
}

// Limit implements outbound.Renderer: text (with mentions) is half as
// long as markdown.
func (WebhookFormat) Limit(r handlers.Reply) int {
	if len(r.Mentions) > 0 {
		return handlers.WeComText.Limit
	}
	return handlers.WeComMarkdown.Limit
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
