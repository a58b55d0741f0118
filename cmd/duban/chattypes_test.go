package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"duban/bot/dingtalk"
	"duban/bot/wecom"
	"duban/bot/wecom/longconn"
	"duban/handlers"
	"duban/outbound"
	"duban/scheduler"
)

// TestChatTypeChecks: each chat type's keys are checked by its platform,
// once, and every problem is named under the chat's YAML path.
func TestChatTypeChecks(t *testing.T) {
	app := func(c *config) { c.WeCom.CorpID, c.WeCom.App.Secret = "corp", "secret" }
	long := func(c *config) { c.WeCom.AIBot.LongConnection.BotID = "bot" }
	tests := []struct {
		name string
		ch   chatConfig
		edit func(c *config)
		want []string // lines, in order; none: complete
	}{
		{"webhook complete", chatConfig{Chat: scheduler.Chat{Type: typeWeComWebhook}, WebhookKey: "k"}, nil, nil},
		{"webhook without key", chatConfig{Chat: scheduler.Chat{Type: typeWeComWebhook}}, nil,
			[]string{"chats[0] (a).webhook_key: missing"}},
		{"dingtalk complete", chatConfig{Chat: scheduler.Chat{Type: typeDingTalkWebhook}, AccessToken: "t", Secret: "SEC"}, nil, nil},
		{"dingtalk without token", chatConfig{Chat: scheduler.Chat{Type: typeDingTalkWebhook}, Secret: "SEC"}, nil,
			[]string{"chats[0] (a).access_token: missing"}},
		{"appchat complete", chatConfig{Chat: scheduler.Chat{Type: typeWeComAppChat}, ChatID: "c"}, app, nil},
		{"appchat without app", chatConfig{Chat: scheduler.Chat{Type: typeWeComAppChat}, ChatID: "c"}, nil,
			[]string{"chats[0] (a): wecom_appchat needs wecom.corp_id and wecom.app.secret"}},
		{"appchat with nothing", chatConfig{Chat: scheduler.Chat{Type: typeWeComAppChat}}, nil, []string{
			"chats[0] (a).chat_id: missing",
			"chats[0] (a): wecom_appchat needs wecom.corp_id and wecom.app.secret"}},
		{"aibot complete", chatConfig{Chat: scheduler.Chat{Type: typeWeComAIBot}, ChatID: "c"}, long, nil},
		{"aibot with nothing", chatConfig{Chat: scheduler.Chat{Type: typeWeComAIBot}}, nil, []string{
			"chats[0] (a).chat_id: missing",
			"chats[0] (a): wecom_aibot chats need wecom.aibot.long_connection"}},
		{"no type", chatConfig{}, nil,
			[]string{"chats[0] (a).type: missing: want wecom_webhook, wecom_appchat, dingtalk_webhook or wecom_aibot"}},
		{"unknown type", chatConfig{Chat: scheduler.Chat{Type: "slack"}}, nil,
			[]string{`chats[0] (a).type: "slack": want wecom_webhook, wecom_appchat, dingtalk_webhook or wecom_aibot`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &config{}
			if tt.edit != nil {
				tt.edit(c)
			}
			var got []string
			for _, err := range c.checkChat("chats[0] (a)", tt.ch) {
				got = append(got, err.Error())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("checkChat:\n got %q\nwant %q", got, tt.want)
			}
			if c.hasCredentials(tt.ch) != (tt.want == nil) {
				t.Errorf("hasCredentials = %v with problems %q", c.hasCredentials(tt.ch), tt.want)
			}
		})
	}
	if got := knownChatTypes(); strings.Join(got, " ") != "dingtalk_webhook wecom_aibot wecom_appchat wecom_webhook" {
		t.Errorf("chat types %v", got)
	}
}

// TestDryRunRendersAsTheSender: for every chat type, the sender a dry run
// previews with renders the same messages, within the same limit, as the
// sender serve builds, with and without mentions: a preview is what a run
// posts.
func TestDryRunRendersAsTheSender(t *testing.T) {
	app, err := wecom.NewApp(wecom.AppConfig{CorpID: "corp", Secret: "secret", BaseURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	wh, err := wecom.NewWebhook(wecom.WebhookConfig{Key: "k", BaseURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	dt, err := dingtalk.NewWebhook(dingtalk.WebhookConfig{AccessToken: "t", Secret: "SEC", BaseURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	no := false
	real := map[string]struct {
		ch chatConfig
		s  outbound.Sender
	}{
		"webhook":          {chatConfig{Chat: scheduler.Chat{Name: "a", Type: typeWeComWebhook}}, wh},
		"dingtalk":         {chatConfig{Chat: scheduler.Chat{Name: "b", Type: typeDingTalkWebhook}}, dt},
		"appchat markdown": {chatConfig{Chat: scheduler.Chat{Name: "c", Type: typeWeComAppChat}, ChatID: "c"}, app.Chat("c", true)},
		"appchat text":     {chatConfig{Chat: scheduler.Chat{Name: "d", Type: typeWeComAppChat}, ChatID: "d", Markdown: &no}, app.Chat("d", false)},
		"aibot":            {chatConfig{Chat: scheduler.Chat{Name: "e", Type: typeWeComAIBot}, ChatID: "e"}, longconn.ChatSender{ChatID: "e"}},
	}
	cfg := &config{}
	for _, r := range real {
		cfg.Chats = append(cfg.Chats, r.ch)
	}
	dry := dryRunPusher(cfg)
	long := handlers.Reply{Head: "督办提醒"}
	for i := range 400 {
		long.Lines = append(long.Lines, fmt.Sprintf("🔴 重点工作第%d项 推进城市更新和老旧小区改造 12月20日 逾期4天", i+1))
	}
	mentioned := long
	mentioned.Mentions = []string{"13800000000", "zhangsan"}
	for name, r := range real {
		d, ok := dry.Sender(r.ch.Chat)
		if !ok {
			t.Fatalf("%s: no dry-run sender", name)
		}
		for _, rep := range []handlers.Reply{long, mentioned} {
			got, want := d.Render(rep), r.s.Render(rep)
			if len(got) != len(want) || d.Limit(rep) != r.s.Limit(rep) {
				t.Fatalf("%s, mentions %v: dry run %d messages (limit %d), sender %d (limit %d)",
					name, rep.Mentions, len(got), d.Limit(rep), len(want), r.s.Limit(rep))
			}
			for i := range got {
				if got[i].Text != want[i].Text {
					t.Errorf("%s: message %d differs:\ndry run %.80q\n sender %.80q", name, i+1, got[i].Text, want[i].Text)
				}
			}
		}
	}
}
