package main

import (
	"strings"
	"testing"
)

func TestCardsConfigCheck(t *testing.T) {
	base := func() *config {
		c := &config{}
		c.WeCom.CorpID, c.WeCom.App.Secret, c.WeCom.App.Token = "ww1", "s", "t"
		c.WeCom.AIBot.LongConnection.BotID = "bot"
		c.DingTalk.Stream.ClientID = "ding"
		c.Chats = []chatConfig{
			{WebhookKey: "k"}, {ChatID: "wr1"}, {AccessToken: "tok"},
		}
		c.Chats[0].Name, c.Chats[0].Type = "企微群", typeWeComWebhook
		c.Chats[1].Name, c.Chats[1].Type = "机器人群", typeWeComAIBot
		c.Chats[2].Name, c.Chats[2].Type = "钉钉群", typeDingTalkWebhook
		c.Cards.DingTalk.TemplateID = "tpl.schema"
		return c
	}
	tests := []struct {
		name   string
		routes []cardRoute
		edit   func(*config)
		want   map[string]cardKind
		err    string // a fragment of the error, "" for none
	}{
		{"none", nil, nil, map[string]cardKind{}, ""},
		{"long connection", []cardRoute{{Chat: "机器人群"}}, nil, map[string]cardKind{"机器人群": cardLongConn}, ""},
		{"app to a person", []cardRoute{{Chat: "企微群", WeComUser: "lisi"}}, nil, map[string]cardKind{"企微群": cardWeComApp}, ""},
		{"dingtalk", []cardRoute{{Chat: "钉钉群", DingTalkConversationID: "cid1"}}, nil, map[string]cardKind{"钉钉群": cardDingTalk}, ""},
		{"unknown chat", []cardRoute{{Chat: "别的群"}}, nil, nil, `cards.routes[0]: chat: "别的群" is no chats[].name`},
		{"twice", []cardRoute{{Chat: "机器人群"}, {Chat: "机器人群"}}, nil, nil, "routed twice"},
		{"webhook cannot", []cardRoute{{Chat: "企微群"}}, nil, nil, "a webhook cannot carry buttons"},
		{"both targets", []cardRoute{{Chat: "企微群", WeComUser: "u", DingTalkConversationID: "c"}}, nil, nil, "choose one"},
		{"app without callback", []cardRoute{{Chat: "企微群", WeComUser: "u"}}, func(c *config) { c.WeCom.App.Token = "" }, nil, "wecom.app.token"},
		{"dingtalk without template", []cardRoute{{Chat: "钉钉群", DingTalkConversationID: "c"}}, func(c *config) { c.Cards.DingTalk.TemplateID = "" }, nil, "template_id"},
		{"dingtalk without stream", []cardRoute{{Chat: "钉钉群", DingTalkConversationID: "c"}}, func(c *config) { c.DingTalk.Stream.ClientID = "" }, nil, "dingtalk.stream"},
		{"aibot without long connection", []cardRoute{{Chat: "机器人群"}}, func(c *config) { c.WeCom.AIBot.LongConnection.BotID = "" }, nil, "long_connection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			c.Cards.Routes = tt.routes
			if tt.edit != nil {
				tt.edit(c)
			}
			got, err := c.Cards.check(c)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("check = %v, want an error with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("kinds %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("kind of %s = %v, want %v", k, got[k], v)
				}
			}
		})
	}
}
