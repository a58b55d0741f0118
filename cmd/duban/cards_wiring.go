package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"

	"duban/bot"
	"duban/bot/dingtalk"
	"duban/bot/report"
	"duban/bot/wecom"
	"duban/bot/wecom/longconn"
	"duban/handlers"
	"duban/outbound"
	"duban/store"
)

// cardPlatforms are the platform objects card routes use; wirePlatforms
// records them as it builds them.
type cardPlatforms struct {
	app     *wecom.App
	appCB   *wecom.Callback
	aibotCB *wecom.AIBotCallback
	stream  *dingtalk.Stream
}

// withCards returns the sender of chat ch: base, or, for a chat routed in
// cards.routes, a sender whose digests with tasks go as cards and whose
// other replies go through base.
func withCards(cfg *config, ch chatConfig, base bot.Sender, p *platforms) (bot.Sender, error) {
	kinds, err := cfg.Cards.check(cfg)
	if err != nil {
		return nil, err
	}
	var route cardRoute
	for _, r := range cfg.Cards.Routes {
		if r.Chat == ch.Name {
			route = r
		}
	}
	switch kinds[ch.Name] {
	case cardLongConn:
		if p.longconn == nil {
			return nil, errors.New("cards: wecom_aibot chat without the long connection")
		}
		return longconn.CardSender{Client: p.longconn, ChatID: ch.ChatID}, nil
	case cardWeComApp:
		if p.cards.app == nil {
			return nil, errors.New("cards: wecom_user without the WeCom app")
		}
		other, ok := base.(outbound.Sender)
		if !ok {
			return nil, fmt.Errorf("cards: the sender of %s cannot carry the group's other messages", ch.Type)
		}
		return taskCards{cards: p.cards.app.CardsTo(route.WeComUser), other: other}, nil
	case cardDingTalk:
		api, err := dingtalkCardAPI(cfg)
		if err != nil {
			return nil, fmt.Errorf("cards: %w", err)
		}
		other, ok := base.(outbound.Sender)
		if !ok {
			return nil, fmt.Errorf("cards: the sender of %s cannot carry the group's other messages", ch.Type)
		}
		return &dingtalk.CardSender{API: api, TemplateID: cfg.Cards.DingTalk.TemplateID,
			OpenConversationID: route.DingTalkConversationID, Else: other}, nil
	}
	return base, nil
}

// dingtalkCardAPI is the 互动卡片 API of the configured enterprise robot.
func dingtalkCardAPI(cfg *config) (*dingtalk.CardAPI, error) {
	return dingtalk.NewCardAPI(dingtalk.CardAPIConfig{
		AppKey: cfg.DingTalk.Stream.ClientID, AppSecret: dingtalk.Secret(cfg.DingTalk.Stream.ClientSecret),
		RobotCode: cfg.Cards.DingTalk.RobotCode, BaseURL: cfg.DingTalk.OpenAPIBaseURL,
	})
}

// cardUpdaters is the actor's side that takes the platforms' later card
// updates (report.Reporter): a reviewer's decision shows on the card the
// unit tapped.
type cardUpdaters interface {
	UpdateCardsWith(platform string, u report.CardUpdater)
}

// handleCards subscribes every platform that can deliver a tap to actor,
// deduplicating taps through the shared store; call it after
// wirePlatforms and before the connections run. With no card route it
// does nothing: no card was sent, so no tap can come.
func (p *platforms) handleCards(cfg *config, actor bot.CardActor, dedup store.Deduper, log *slog.Logger) error {
	kinds, err := cfg.Cards.check(cfg)
	if err != nil || len(kinds) == 0 {
		return err
	}
	if actor == nil {
		return errors.New("cards: routes configured but no card actor")
	}
	used := map[cardKind]bool{}
	for _, k := range kinds {
		used[k] = true
	}
	if used[cardLongConn] && p.longconn != nil {
		p.longconn.HandleCards(longconn.CardConfig{Actor: actor, Dedup: dedup})
	}
	if p.cards.aibotCB != nil { // callback mode: cards sent as replies come back here
		if err := p.cards.aibotCB.HandleCards(wecom.AIBotCardConfig{Actor: actor, Dedup: dedup}); err != nil {
			return fmt.Errorf("cards: %w", err)
		}
	}
	if used[cardWeComApp] {
		if p.cards.appCB == nil {
			return errors.New("cards: wecom_user routes need the app callback (wecom.app.token) for the taps")
		}
		chatOf := contactChats(cfg)
		if err := p.cards.appCB.HandleCards(wecom.AppCardConfig{App: p.cards.app, Actor: actor, Dedup: dedup, ChatOf: chatOf}); err != nil {
			return fmt.Errorf("cards: %w", err)
		}
		// The 智能机器人's taps come as "wecom" too but carry no handle: it
		// can update a card only within 5 s of a click.
		if cu, ok := actor.(cardUpdaters); ok {
			cu.UpdateCardsWith("wecom", wecom.AppCardUpdater{App: p.cards.app})
		}
	}
	if used[cardDingTalk] {
		if p.cards.stream == nil {
			return errors.New("cards: dingtalk routes need dingtalk.stream for the taps")
		}
		p.cards.stream.HandleCards(dingtalk.CardConfig{Actor: actor, Dedup: dedup})
		if cu, ok := actor.(cardUpdaters); ok {
			api, err := dingtalkCardAPI(cfg)
			if err != nil {
				return fmt.Errorf("cards: %w", err)
			}
			cu.UpdateCardsWith("dingtalk", api)
		}
	}
	log.Info("cards: taps handled", "routes", len(kinds))
	return nil
}

// contactChats maps each wecom_user of cards.routes to the chat its cards
// speak for, as the Reporter knows chats: the chat's first conversation
// ID, else its name. A user routed for two chats speaks for the first.
func contactChats(cfg *config) func(userID string) string {
	m := map[string]string{}
	for _, r := range cfg.Cards.Routes {
		if r.WeComUser == "" || m[r.WeComUser] != "" {
			continue
		}
		for _, ch := range cfg.Chats {
			if ch.Name != r.Chat {
				continue
			}
			m[r.WeComUser] = ch.Name
			if len(ch.ConversationIDs) > 0 {
				m[r.WeComUser] = ch.ConversationIDs[0]
			}
		}
	}
	return func(userID string) string { return m[userID] }
}

// taskCards sends a reply with Tasks through cards and any other reply
// through other: a 1:1 card to a unit's contact does not take the group's
// answers and notices with it.
type taskCards struct {
	cards, other outbound.Sender
}

var (
	_ bot.Sender      = taskCards{}
	_ outbound.Sender = taskCards{}
)

// Render implements outbound.Renderer. A card's message is marked so
// that Post knows whose it is.
func (s taskCards) Render(r handlers.Reply) []outbound.Message {
	if len(r.Tasks) == 0 {
		return s.other.Render(r)
	}
	msgs := s.cards.Render(r)
	for i := range msgs {
		msgs[i].Body = append([]byte(cardMark), msgs[i].Body...)
	}
	return msgs
}

// cardMark prefixes the body of a card's message; JSON never starts so.
const cardMark = "card:"

func (s taskCards) Limit(r handlers.Reply) int {
	if len(r.Tasks) == 0 {
		return s.other.Limit(r)
	}
	return s.cards.Limit(r)
}

func (s taskCards) Post(ctx context.Context, m outbound.Message) error {
	if body, ok := bytes.CutPrefix(m.Body, []byte(cardMark)); ok {
		m.Body = body
		return s.cards.Post(ctx, m)
	}
	return s.other.Post(ctx, m)
}

// Send implements bot.Sender.
func (s taskCards) Send(ctx context.Context, r handlers.Reply) error {
	return outbound.Send(ctx, s, r)
}

// Parts implements bot.PartCounter.
func (s taskCards) Parts(r handlers.Reply) int { return len(s.Render(r)) }
