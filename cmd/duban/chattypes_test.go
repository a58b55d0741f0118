package main

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk"
	"duban/bot/wecom"
	"duban/bot/wecom/longconn"
	"duban/handlers"
	"duban/kb"
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
	dry := dryRunPusher(cfg, nil)
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

// routeBase is a base of 40 dated tasks led by 住建局, so a digest of them
// has tasks to link and to put on cards, and is long enough to split.
func routeBase(t *testing.T) *kb.Base {
	t.Helper()
	var recs []kb.Record
	for i := range 40 {
		recs = append(recs, kb.Record{Table: kb.KeyTasks, No: i + 1,
			Text:      fmt.Sprintf("推进城市更新和老旧小区改造第%d批次项目建设。", i+1),
			LeadUnits: []string{"住建局"}, DeadlineText: "12月底前", Due: kb.NewDate(2026, 12, 10+i%20),
			Source: kb.Source{File: "004_routes.txt", Line: i + 1, Title: "2026年重点工作任务分解表", Row: i + 1}})
	}
	b, err := kb.New(kb.Contents{Records: recs})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// linkToken matches the token of a one-tap link: a dry run signs with a
// throwaway key, so tokens differ from a send's in their characters only.
var linkToken = regexp.MustCompile(`(https://duban\.example\.gov\.cn/l/)[A-Za-z0-9_.-]+`)

// TestDryRunRendersAsTheSendOnEveryRoute: for every chat type on every
// route (plain, one-tap links, cards), the dry-run sender renders the
// messages the sender serve and `remind --send` build would post: the same
// number, the same limit, the same text and length (link tokens, which a
// dry run mints with a throwaway key, masked), for a digest with tasks,
// with mentions, and for a reply without tasks.
func TestDryRunRendersAsTheSendOnEveryRoute(t *testing.T) {
	b := routeBase(t)
	chat := func(name, typ string) chatConfig {
		return chatConfig{Chat: scheduler.Chat{Name: name, Type: typ, Units: []string{"住建局"}},
			WebhookKey: "k", AccessToken: "t", Secret: "SEC", ChatID: "c-" + name}
	}
	types := []string{typeWeComWebhook, typeDingTalkWebhook, typeWeComAppChat, typeWeComAIBot}
	routes := []struct {
		name  string
		edit  func(c *config)
		cards map[string]cardRoute // by chat type
		mark  string               // in the dry run's text of a digest, when set
	}{
		{name: "plain"},
		{name: "links", edit: func(c *config) {
			c.Links = linksConfig{BaseURL: "https://duban.example.gov.cn", Key: strings.Repeat("k", 32)}
		}, mark: "https://duban.example.gov.cn/l/"},
		{name: "cards", edit: func(c *config) {
			c.WeCom.App.Token = "apptoken"
			c.DingTalk.Stream.ClientID, c.DingTalk.Stream.ClientSecret = "dingid", "dingsecret"
			c.Cards.DingTalk.TemplateID = "tpl.schema"
		}, cards: map[string]cardRoute{
			typeWeComWebhook:    {WeComUser: "zhangsan"},
			typeDingTalkWebhook: {DingTalkConversationID: "cid=="},
			typeWeComAppChat:    {WeComUser: "lisi"},
			typeWeComAIBot:      {},
		}},
	}
	for _, rt := range routes {
		for _, typ := range types {
			t.Run(rt.name+"/"+typ, func(t *testing.T) {
				cfg := &config{Reminders: []scheduler.Rule{exampleRule}}
				cfg.WeCom.CorpID, cfg.WeCom.App.Secret = "corp", "secret"
				cfg.WeCom.APIBaseURL, cfg.DingTalk.APIBaseURL, cfg.DingTalk.OpenAPIBaseURL = "http://127.0.0.1:1", "http://127.0.0.1:1", "http://127.0.0.1:1"
				cfg.WeCom.AIBot.LongConnection.BotID, cfg.WeCom.AIBot.LongConnection.Secret = "bot", "botsecret"
				ch := chat("住建局群", typ)
				cfg.Chats = []chatConfig{ch}
				if rt.edit != nil {
					rt.edit(cfg)
				}
				if r, ok := rt.cards[typ]; ok {
					r.Chat = ch.Name
					cfg.Cards.Routes = []cardRoute{r}
				}
				// The send's sender, wired as serve wires it (platforms.go).
				var err error
				if cfg.links, err = cfg.linkRoute(t.Context(), nil, func() *kb.Base { return b }); err != nil {
					t.Fatal(err)
				}
				p := &platforms{}
				if p.cards.app, err = wecom.NewApp(wecom.AppConfig{CorpID: "corp", Secret: "secret", BaseURL: "http://127.0.0.1:1"}); err != nil {
					t.Fatal(err)
				}
				if p.longconn, err = longconn.New(longconn.Config{BotID: "bot", Secret: "botsecret"},
					func(context.Context, *bot.Message) (handlers.Reply, error) { return handlers.Reply{}, nil }); err != nil {
					t.Fatal(err)
				}
				s, err := chatSender(cfg, ch, p.cards.app, p)
				if err == nil {
					s, err = withCards(cfg, ch, cfg.links.wrap(ch, s), p)
				}
				if err != nil {
					t.Fatal(err)
				}
				send, ok := s.(outbound.Sender)
				if !ok {
					t.Fatalf("the send's sender %T renders nothing", s)
				}
				dry, ok := dryRunPusher(cfg, b).Sender(ch.Chat)
				if !ok {
					t.Fatal("no dry-run sender")
				}

				planner, err := scheduler.New(cfg.schedulerConfig(), b, nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				pushes := planner.Plan(time.Date(2026, 12, 1, 9, 0, 0, 0, kb.Location))
				if len(pushes) != 1 || len(pushes[0].Reply.Tasks) == 0 {
					t.Fatalf("want one digest with tasks, got %d pushes", len(pushes))
				}
				digest := pushes[0].Reply
				mentioned := digest
				mentioned.Mentions = []string{"13800000000", "zhangsan"}
				plain := handlers.Reply{Head: "通知", Lines: slices.Repeat([]string{"请各单位于本周五前报送进展。"}, 300)}
				for _, rep := range []handlers.Reply{digest, mentioned, plain} {
					got, want := dry.Render(rep), send.Render(rep)
					if len(got) != len(want) || dry.Limit(rep) != send.Limit(rep) {
						t.Fatalf("tasks %d, mentions %v: dry run %d messages (limit %d), send %d (limit %d)",
							len(rep.Tasks), rep.Mentions, len(got), dry.Limit(rep), len(want), send.Limit(rep))
					}
					for i := range got {
						g, w := got[i].Text, want[i].Text
						if len(g) != len(w) {
							t.Errorf("message %d: dry run %d bytes, send %d", i+1, len(g), len(w))
						}
						if g, w = linkToken.ReplaceAllString(g, "${1}TOKEN"), linkToken.ReplaceAllString(w, "${1}TOKEN"); g != w {
							t.Errorf("message %d differs:\ndry run %.200q\n   send %.200q", i+1, g, w)
						}
					}
					// The route shows in the dry run: links on a webhook
					// chat's digest, cards on every card route's.
					routed := rt.name == "cards" || rt.name == "links" && (typ == typeWeComWebhook || typ == typeDingTalkWebhook)
					if !routed || len(rep.Tasks) == 0 {
						continue
					}
					bare := outbound.RenderOnly(chatTypes[typ].format(ch)).Render(rep)
					if len(bare) == len(got) && bare[0].Text == got[0].Text {
						t.Errorf("the dry run of the %s route renders as a bare %s chat:\n%.300s", rt.name, typ, got[0].Text)
					}
					if rt.mark != "" && !strings.Contains(got[len(got)-1].Text, rt.mark) && !strings.Contains(got[0].Text, rt.mark) {
						t.Errorf("the dry run of the %s route shows no %q", rt.name, rt.mark)
					}
				}
			})
		}
	}
}

// TestDryRunLinksDoNotWork: a dry run's links are signed with a key of
// its own, so a link copied from a preview is refused by the real signer.
func TestDryRunLinksDoNotWork(t *testing.T) {
	cfg := &config{Links: linksConfig{BaseURL: "https://duban.example.gov.cn", Key: strings.Repeat("k", 32)}}
	cfg.Chats = []chatConfig{{Chat: scheduler.Chat{Name: "住建局群", Type: typeWeComWebhook, Units: []string{"住建局"}}, WebhookKey: "k"}}
	real, err := cfg.linkRoute(t.Context(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	dry, err := cfg.dryRunLinks(nil)
	if err != nil {
		t.Fatal(err)
	}
	real.links.Allow, dry.links.Allow = nil, nil
	a := handlers.TaskAction{Table: kb.KeyTasks, No: 1}
	u := dry.links.URL("住建局群", a, bot.VerbDone)
	tok, ok := strings.CutPrefix(u, "https://duban.example.gov.cn/l/")
	if !ok {
		t.Fatalf("dry-run link %q", u)
	}
	if _, err := real.links.Signer.Verify(tok); err == nil {
		t.Error("a dry-run link verifies under the configured key")
	}
	if want := real.links.URL("住建局群", a, bot.VerbDone); len(want) != len(u) {
		t.Errorf("dry-run link %d bytes, a sent one %d: messages would split differently", len(u), len(want))
	}
}
