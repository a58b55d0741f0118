package main

import (
	"fmt"
	"sort"
	"strings"

	"duban/bot"
	"duban/bot/dingtalk"
	"duban/bot/wecom"
	"duban/bot/wecom/longconn"
	"duban/outbound"
	"duban/scheduler"
)

// Reminder chat types (`chats[].type`, DESIGN.md).
const (
	typeWeComWebhook    = "wecom_webhook"
	typeWeComAppChat    = "wecom_appchat"
	typeDingTalkWebhook = "dingtalk_webhook"
	typeWeComAIBot      = "wecom_aibot"
)

// A chatType is one kind of reminder chat, and the one place that knows
// its platform: check is the platform's own check of the chat's keys
// (config loading and `duban check`; the constructors sender calls run
// the same check), format renders as the type's sender does, with no
// credentials, for dry runs and previews, and sender builds the sender
// `serve` and `remind --send` post through.
type chatType struct {
	check  func(c *config, ch chatConfig) error
	format func(ch chatConfig) outbound.Renderer
	sender func(c *config, ch chatConfig, app *wecom.App, p *platforms) (bot.Sender, error)
}

var chatTypes = map[string]chatType{
	typeWeComWebhook: {
		check: func(_ *config, ch chatConfig) error {
			return wecom.WebhookConfig{Key: wecom.Secret(ch.WebhookKey)}.Validate()
		},
		format: func(chatConfig) outbound.Renderer { return wecom.WebhookFormat{} },
		sender: func(c *config, ch chatConfig, _ *wecom.App, _ *platforms) (bot.Sender, error) {
			return wecom.NewWebhook(wecom.WebhookConfig{Key: wecom.Secret(ch.WebhookKey), BaseURL: c.WeCom.APIBaseURL})
		},
	},
	typeWeComAppChat: {
		check: func(c *config, ch chatConfig) error {
			return wecom.AppChatConfig{ChatID: ch.ChatID,
				AppConfig: wecom.AppConfig{CorpID: c.WeCom.CorpID, Secret: wecom.Secret(c.WeCom.App.Secret)}}.Validate()
		},
		format: func(ch chatConfig) outbound.Renderer { return wecom.AppChatFormat{Markdown: ch.markdown()} },
		sender: func(_ *config, ch chatConfig, app *wecom.App, _ *platforms) (bot.Sender, error) {
			if app == nil {
				return nil, fmt.Errorf("wecom_appchat needs wecom.corp_id and wecom.app.secret")
			}
			return app.Chat(ch.ChatID, ch.markdown()), nil
		},
	},
	typeDingTalkWebhook: {
		check: func(c *config, ch chatConfig) error {
			return dingtalk.WebhookConfig{AccessToken: dingtalk.Secret(ch.AccessToken), Secret: dingtalk.Secret(ch.Secret),
				BaseURL: c.DingTalk.APIBaseURL}.Validate()
		},
		format: func(chatConfig) outbound.Renderer { return dingtalk.WebhookFormat{} },
		sender: func(c *config, ch chatConfig, _ *wecom.App, _ *platforms) (bot.Sender, error) {
			return dingtalk.NewWebhook(dingtalk.WebhookConfig{AccessToken: dingtalk.Secret(ch.AccessToken),
				Secret: dingtalk.Secret(ch.Secret), BaseURL: c.DingTalk.APIBaseURL})
		},
	},
	typeWeComAIBot: {
		check: func(c *config, ch chatConfig) error {
			return wecom.AIBotChatConfig{ChatID: ch.ChatID, BotID: c.WeCom.AIBot.LongConnection.BotID}.Validate()
		},
		format: func(ch chatConfig) outbound.Renderer { return longconn.ChatSender{ChatID: ch.ChatID} },
		sender: func(_ *config, ch chatConfig, _ *wecom.App, p *platforms) (bot.Sender, error) {
			return aibotSender(p, ch.ChatID) // connections.go
		},
	},
}

// markdown is appchat's format: markdown unless `markdown: false`.
func (ch chatConfig) markdown() bool { return ch.Markdown == nil || *ch.Markdown }

// chatTypeNames lists the types for error messages, in DESIGN.md's order.
const chatTypeNames = "wecom_webhook, wecom_appchat, dingtalk_webhook or wecom_aibot"

// checkChat returns the problems of chat ch at YAML path p: its type, then
// what its platform says, each line under p.
func (c *config) checkChat(p string, ch chatConfig) []error {
	t, ok := chatTypes[ch.Type]
	switch {
	case ch.Type == "":
		return []error{fmt.Errorf("%s.type: missing: want %s", p, chatTypeNames)}
	case !ok:
		return []error{fmt.Errorf("%s.type: %q: want %s", p, ch.Type, chatTypeNames)}
	}
	err := t.check(c, ch)
	if err == nil {
		return nil
	}
	var errs []error
	for _, line := range strings.Split(err.Error(), "\n") {
		if strings.HasSuffix(line, ": missing") {
			line += c.hint()
		}
		// A line that starts with a key names it under p; any other says
		// what the chat as a whole needs.
		if k, _, ok := strings.Cut(line, ": "); ok && !strings.ContainsAny(k, " \t") {
			errs = append(errs, fmt.Errorf("%s.%s", p, line))
		} else {
			errs = append(errs, fmt.Errorf("%s: %s", p, line))
		}
	}
	return errs
}

// hasCredentials reports whether ch's platform finds its keys complete.
func (c *config) hasCredentials(ch chatConfig) bool {
	t, ok := chatTypes[ch.Type]
	return ok && t.check(c, ch) == nil
}

// outboxPusher gives the scheduler each chat's sender from the outbox.
type outboxPusher struct{ o *bot.Outbox }

func (p outboxPusher) Sender(c scheduler.Chat) (outbound.Sender, bool) { return p.o.Sender(c.Name) }

// dryRun gives the scheduler, for each chat, a sender that renders as the
// chat's real one does and posts nothing: `remind --dry-run`, previews and
// the dashboard need no credentials.
type dryRun map[string]chatConfig

// dryRunPusher is the dry-run senders of cfg's chats.
func dryRunPusher(cfg *config) dryRun {
	d := dryRun{}
	for _, ch := range cfg.Chats {
		d[ch.Name] = ch
	}
	return d
}

func (d dryRun) Sender(c scheduler.Chat) (outbound.Sender, bool) {
	ch, ok := d[c.Name]
	if !ok {
		ch = chatConfig{Chat: c} // a chat made up for a preview (unitChats)
	}
	t, ok := chatTypes[ch.Type]
	if !ok {
		return nil, false
	}
	return outbound.RenderOnly(t.format(ch)), true
}

// knownChatTypes lists the registered types, sorted (tests).
func knownChatTypes() []string {
	var out []string
	for k := range chatTypes {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
