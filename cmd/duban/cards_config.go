package main

import (
	"errors"
	"fmt"
)

// cardsConfig is the `cards:` section: which reminder chats get their
// digests as interactive cards with 已完成 / 申请延期 / 查看详情 buttons
// (issue 18), and where the taps come back. A chat not listed keeps its
// markdown digest. Replies without tasks (answers, 通报) keep the chat's
// ordinary route in every case.
//
//	cards:
//	  dingtalk:
//	    template_id: 7e6c…f1.schema   # imported from docs/dingtalk-card-template.json
//	    robot_code: dingxxxx          # default: dingtalk.stream.client_id
//	  routes:
//	    - chat: 住建局群               # a wecom_aibot chat: one card per digest on the long connection
//	    - chat: 交通局群               # any chat: the card goes 1:1 to the unit's contact through the WeCom app
//	      wecom_user: lisi
//	    - chat: 钉钉水利局群            # a dingtalk chat: the enterprise robot delivers the card to the group
//	      dingtalk_conversation_id: cidXXXX==
type cardsConfig struct {
	DingTalk struct {
		TemplateID string `yaml:"template_id"`
		RobotCode  string `yaml:"robot_code"`
	} `yaml:"dingtalk"`
	Routes []cardRoute `yaml:"routes"`
}

// cardRoute is one chat whose digests go as cards.
type cardRoute struct {
	Chat string `yaml:"chat"` // a chats[].name
	// WeComUser sends the card 1:1 through the self-built app (an app can
	// put a card only to people, not into an ordinary group).
	WeComUser string `yaml:"wecom_user"`
	// DingTalkConversationID is the group's openConversationId, where the
	// enterprise robot delivers the card.
	DingTalkConversationID string `yaml:"dingtalk_conversation_id"`
}

// kind names the platform a route uses.
type cardKind int

const (
	cardLongConn cardKind = iota + 1
	cardWeComApp
	cardDingTalk
)

// check validates the section against the rest of the config and returns
// each route's kind by chat name; errors are named by YAML path.
func (cc cardsConfig) check(c *config) (map[string]cardKind, error) {
	chats := map[string]chatConfig{}
	for _, ch := range c.Chats {
		chats[ch.Name] = ch
	}
	kinds := map[string]cardKind{}
	var errs []error
	bad := func(i int, msg string, args ...any) {
		errs = append(errs, fmt.Errorf("cards.routes[%d]: %s", i, fmt.Sprintf(msg, args...)))
	}
	for i, r := range cc.Routes {
		ch, ok := chats[r.Chat]
		switch {
		case r.Chat == "" || !ok:
			bad(i, "chat: %q is no chats[].name", r.Chat)
			continue
		case kinds[r.Chat] != 0:
			bad(i, "chat: %q routed twice", r.Chat)
			continue
		case r.WeComUser != "" && r.DingTalkConversationID != "":
			bad(i, "wecom_user and dingtalk_conversation_id: choose one")
			continue
		}
		switch {
		case r.WeComUser != "":
			if c.WeCom.CorpID == "" || c.WeCom.App.Secret == "" || c.WeCom.App.Token == "" {
				bad(i, "wecom_user needs wecom.corp_id, wecom.app.secret and the app callback (wecom.app.token) for the taps")
				continue
			}
			kinds[r.Chat] = cardWeComApp
		case r.DingTalkConversationID != "":
			if c.DingTalk.Stream.ClientID == "" || cc.DingTalk.TemplateID == "" {
				bad(i, "dingtalk_conversation_id needs dingtalk.stream (taps come over Stream) and cards.dingtalk.template_id")
				continue
			}
			kinds[r.Chat] = cardDingTalk
		case ch.Type == typeWeComAIBot:
			if c.WeCom.AIBot.LongConnection.BotID == "" {
				bad(i, "a wecom_aibot chat needs wecom.aibot.long_connection for cards")
				continue
			}
			kinds[r.Chat] = cardLongConn
		default:
			bad(i, "chat %q is %s: give wecom_user or dingtalk_conversation_id (a webhook cannot carry buttons whose taps come back)", r.Chat, ch.Type)
		}
	}
	return kinds, errors.Join(errs...)
}
