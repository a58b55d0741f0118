package dingtalk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/outbound"
)

// A CardSender is the sender of a group whose reminders go as
// interactive cards: a reply with Tasks is one card delivered by the
// enterprise robot, anything else goes through Else (the group's custom
// robot webhook, usually).
type CardSender struct {
	API                *CardAPI
	TemplateID         string // the template imported in 卡片平台 (".schema" suffix included)
	OpenConversationID string // the group's openConversationId (cid…)
	Else               outbound.Sender
}

var (
	_ bot.Sender      = (*CardSender)(nil)
	_ outbound.Sender = (*CardSender)(nil)
)

// cardBody is a rendered card: what Post delivers. Card marks it apart
// from Else's bodies.
type cardBody struct {
	Card       bool              `json:"duban_card"`
	OutTrackID string            `json:"outTrackId"`
	Params     map[string]string `json:"cardParamMap"`
}

// Render implements outbound.Renderer: a reply with Tasks is one card
// (its outTrackId made here, so a retry delivers the same card, which
// DingTalk refuses as a repeat rather than showing twice); anything else
// is Else's.
func (s *CardSender) Render(r handlers.Reply) []outbound.Message {
	if len(r.Tasks) == 0 {
		if s.Else == nil {
			return nil
		}
		return s.Else.Render(r)
	}
	p := DigestParams(r)
	body, err := json.Marshal(cardBody{Card: true, OutTrackID: newOutTrackID(time.Now()), Params: p})
	if err != nil {
		return nil
	}
	return []outbound.Message{{Text: p["title"] + "\n" + p["content"], Body: body}}
}

// Limit implements outbound.Renderer.
func (s *CardSender) Limit(r handlers.Reply) int {
	if s.Else != nil {
		return s.Else.Limit(r)
	}
	return 20000
}

// Post implements outbound.Sender.
func (s *CardSender) Post(ctx context.Context, m outbound.Message) error {
	var c cardBody
	if json.Unmarshal(m.Body, &c) != nil || !c.Card {
		if s.Else == nil {
			return errors.New("dingtalk: card route: a reply without tasks and no other sender")
		}
		return s.Else.Post(ctx, m)
	}
	return s.API.Deliver(ctx, CardDelivery{TemplateID: s.TemplateID, OutTrackID: c.OutTrackID,
		OpenConversationID: s.OpenConversationID, Params: c.Params})
}

// Send implements bot.Sender.
func (s *CardSender) Send(ctx context.Context, r handlers.Reply) error {
	return outbound.Send(ctx, s, r)
}

// Parts implements bot.PartCounter: a card is one message.
func (s *CardSender) Parts(r handlers.Reply) int { return len(s.Render(r)) }

// newOutTrackID returns a card's own ID, new for each card: later
// updates (PUT /v1.0/card/instances) name the card by it.
func newOutTrackID(now time.Time) string {
	b := make([]byte, 4)
	rand.Read(b)
	return "duban-" + strconv.FormatInt(now.UnixMilli(), 36) + "-" + hex.EncodeToString(b)
}
