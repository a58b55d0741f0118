package report

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
	"duban/progress"
)

// CardRefTTL is how long the handle of a unit's tapped card is kept for
// the reviewer's decision to update it: a WeCom app's response_code is
// valid for 72 h (path/90236), and a decision later than that finds the
// unit a plain answer and the next reminder instead. DingTalk's
// outTrackId lives longer; 72 h keeps one rule.
const CardRefTTL = 72 * time.Hour

// A CardUpdater updates a card a unit tapped, after the tap's own answer,
// through the handle its platform gave with the tap (CardAction.Card). a
// names the task and the tapper. It must be safe for concurrent use.
//
// The WeCom 智能机器人 has none: it may update a card only in answer to a
// click, within 5 s (aibot_respond_update_msg reuses the click's req_id),
// so a decision taken later leaves its card as the tap left it.
type CardUpdater interface {
	UpdateCard(ctx context.Context, ref string, a bot.CardAction, v bot.CardView) error
}

// cardRef is a tapped card's handle, kept per task and chat.
type cardRef struct {
	Platform string `json:"platform"`
	Ref      string `json:"ref"`
	User     string `json:"user"`
}

// cardKey keys a card's handle by task and the chat its claim came from:
// the decision's status names the same chat (kb.Status.Chat), and every
// replica reads the same store.
func cardKey(t kb.Table, no int, chat string) string {
	return "cardref|" + string(t) + "|" + strconv.Itoa(no) + "|" + chat
}

// keepCard remembers the card a claim or extension request s was tapped
// on by userID, when its platform can update it later, and reports
// whether it did (CardView.Later).
func (rp *Reporter) keepCard(ctx context.Context, platform, ref, userID string, s kb.Status) bool {
	if ref == "" || rp.cfg.Pending == nil || rp.cardUpdater(platform) == nil || !rp.cfg.Review.Enabled {
		return false
	}
	b, err := json.Marshal(cardRef{Platform: platform, Ref: ref, User: userID})
	if err == nil {
		err = rp.cfg.Pending.Put(ctx, cardKey(s.Table, s.No, s.Chat), b, CardRefTTL)
	}
	if err != nil {
		bot.LoggerFrom(ctx).Warn("card handle not kept: the decision will not update the card", "task", s.No, "err", err)
		return false
	}
	return true
}

// updateCard shows decision s on the card the claim or request cur was
// tapped on, once: the handle is forgotten first, as a WeCom
// response_code can be spent only once. A failure is logged; the decision
// is recorded, and the unit's next reminder shows it.
func (rp *Reporter) updateCard(ctx context.Context, cur, s kb.Status) {
	if rp.cfg.Pending == nil {
		return
	}
	key := cardKey(cur.Table, cur.No, cur.Chat)
	b, ok, err := rp.cfg.Pending.Get(ctx, key)
	if err != nil || !ok {
		return
	}
	if err := rp.cfg.Pending.Delete(ctx, key); err != nil {
		bot.LoggerFrom(ctx).Warn("card handle not cleared", "task", cur.No, "err", err)
	}
	var ref cardRef
	if err := json.Unmarshal(b, &ref); err != nil {
		return
	}
	u := rp.cardUpdater(ref.Platform)
	if u == nil {
		return
	}
	a := bot.CardAction{Platform: ref.Platform, ChatID: cur.Chat, UserID: ref.User, Table: string(cur.Table), No: cur.No}
	v := view(handlers.ViewDecided(progress.Display(s), rp.cfg.Review.Name))
	if err := u.UpdateCard(ctx, ref.Ref, a, v); err != nil {
		bot.LoggerFrom(ctx).Warn("unit's card not updated with the decision", "platform", ref.Platform, "task", cur.No, "err", err)
	}
}
