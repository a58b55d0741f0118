package dingtalk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"duban/bot"
	"duban/handlers"
)

// A CardSender is the bot.Sender of a group whose reminders go as
// interactive cards: a reply with Tasks is one card delivered by the
// enterprise robot, anything else goes through Else (the group's custom
// robot webhook, usually).
type CardSender struct {
	API                *CardAPI
	TemplateID         string // the template imported in 卡片平台 (".schema" suffix included)
	OpenConversationID string // the group's openConversationId (cid…)
	Else               bot.Sender
}

var _ bot.Sender = (*CardSender)(nil)

// Send implements bot.Sender.
func (s *CardSender) Send(ctx context.Context, r handlers.Reply) error {
	if len(r.Tasks) == 0 {
		if s.Else == nil {
			return errors.New("dingtalk: card route: a reply without tasks and no other sender")
		}
		return s.Else.Send(ctx, r)
	}
	return s.API.Deliver(ctx, CardDelivery{
		TemplateID: s.TemplateID, OutTrackID: newOutTrackID(time.Now()),
		OpenConversationID: s.OpenConversationID, Params: DigestParams(r),
	})
}

// Parts implements bot.PartCounter: a card is one message.
func (s *CardSender) Parts(r handlers.Reply) int {
	if len(r.Tasks) > 0 {
		return 1
	}
	if pc, ok := s.Else.(bot.PartCounter); ok {
		return pc.Parts(r)
	}
	return 1
}

// newOutTrackID returns a card's own ID, new for each card: later
// updates (PUT /v1.0/card/instances) name the card by it.
func newOutTrackID(now time.Time) string {
	b := make([]byte, 4)
	rand.Read(b)
	return "duban-" + strconv.FormatInt(now.UnixMilli(), 36) + "-" + hex.EncodeToString(b)
}
