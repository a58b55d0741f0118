package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"duban/bot"
	"duban/bot/dingtalk"
	"duban/bot/wecom"
	"duban/bot/wecom/longconn"
	"duban/handlers"
	"duban/kb"
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
// the dashboard need no credentials. It wraps each chat as serve and
// `remind --send` do (platforms.go, outboxOnly): a webhook chat's digests
// carry their one-tap links (links.go), a chat in cards.routes gets its
// digests as cards (cards_wiring.go); so what it renders is what a send
// posts, split alike. The zero dryRun knows only the chat types.
type dryRun struct {
	chats map[string]chatConfig
	cfg   *config     // nil: types only, no links or cards
	links *linkWiring // nil: no link route
	p     *platforms  // render-only platform objects for card routes
	err   error       // building the routes failed: Sender gives no sender; remind --dry-run reports it
}

// dryRunPusher is the dry-run senders of cfg's chats over base (which the
// links consult: a chat gets only the links it may use).
//
// Links are minted, not faked: signed with a throwaway key made for this
// dry run, neither configured nor stored, so each token has a real token's
// length (a digest splits into the same messages as when sent) while none
// of them works: a printed or pasted preview hands nobody a live 已完成
// link, and nothing is written to the store.
func dryRunPusher(cfg *config, base *kb.Base) dryRun {
	d := dryRun{chats: map[string]chatConfig{}, cfg: cfg}
	for _, ch := range cfg.Chats {
		d.chats[ch.Name] = ch
	}
	d.links, d.err = cfg.dryRunLinks(func() *kb.Base { return base })
	d.p = &platforms{}
	if _, err := cfg.Cards.check(cfg); err != nil {
		d.err = errors.Join(d.err, err)
	}
	if len(cfg.Cards.Routes) > 0 {
		// Render-only objects: the card senders built from them render as a
		// send's do and are never posted through (Sender wraps them in
		// outbound.RenderOnly); the long connection is never run.
		d.p.longconn = &longconn.Client{}
		if cfg.WeCom.CorpID != "" && cfg.WeCom.App.Secret != "" {
			app, err := wecom.NewApp(wecom.AppConfig{CorpID: cfg.WeCom.CorpID, AgentID: cfg.WeCom.App.AgentID,
				Secret: wecom.Secret(cfg.WeCom.App.Secret), BaseURL: cfg.WeCom.APIBaseURL})
			d.p.cards.app, d.err = app, errors.Join(d.err, err)
		}
	}
	return d
}

// Sender implements scheduler.Pusher: c's route as a send has it, wrapped
// last in outbound.RenderOnly, so that no wrapper (a card sender holds a
// platform client) can post.
func (d dryRun) Sender(c scheduler.Chat) (outbound.Sender, bool) {
	ch, ok := d.chats[c.Name]
	if !ok {
		ch = chatConfig{Chat: c} // a chat made up for a preview (unitChats)
	}
	t, ok := chatTypes[ch.Type]
	if !ok || d.err != nil {
		return nil, false
	}
	r := outbound.RenderOnly(t.format(ch))
	if d.cfg == nil {
		return r, true
	}
	var s bot.Sender = dryRunSender{r}
	s = d.links.wrap(ch, s)
	s, err := withCards(d.cfg, ch, s, d.p)
	if err != nil {
		return nil, false
	}
	os, ok := s.(outbound.Sender)
	if !ok {
		return nil, false
	}
	return outbound.RenderOnly(os), true
}

// dryRunSender is a render-only sender as bot.Sender, so that the link
// and card wrappers take it as they take a real one.
type dryRunSender struct{ outbound.Sender }

func (s dryRunSender) Send(ctx context.Context, r handlers.Reply) error {
	return outbound.Send(ctx, s, r)
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
