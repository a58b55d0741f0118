package wecom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"duban/bot"
	"duban/store"
)

// A 智能机器人 card click, in callback mode (this file) and on the long
// connection (package longconn), is the JSON event of path/101027:
//
//	{"msgid":"…","chatid":"…","chattype":"group","from":{"userid":"…"},"msgtype":"event",
//	 "event":{"eventtype":"template_card_event","template_card_event":{"card_type":"button_interaction","event_key":"…","task_id":"…"}}}
//
// The official Node SDK's own type puts event_key and task_id straight on
// event; both placements are read. The picker's choice is read from
// selected_items in the shape of the app callback's XML
// (SelectedItems/SelectedItem/QuestionKey/OptionIds/OptionId) in JSON
// spelling: UNVERIFIED for the 智能机器人. A button's key also names the
// preselected task, used when the card offers no other (CardClick). The answer, within 5 s and only once
// ("五秒内收不到响应会断掉连接，丢弃该回调事件"), is an update_template_card:
// the passive reply in callback mode, aibot_respond_update_msg with the
// event's req_id on the long connection.

// AIBotCardEvent is the event object of a click.
type AIBotCardEvent struct {
	EventType string `json:"eventtype"`
	CardEventFields
	Nested CardEventFields `json:"template_card_event"`
}

// CardEventFields are a click's fields, wherever they were.
type CardEventFields struct {
	CardType string `json:"card_type"`
	EventKey string `json:"event_key"`
	TaskID   string `json:"task_id"`
	Selected struct {
		Items []struct {
			QuestionKey string `json:"question_key"`
			OptionIDs   struct {
				IDs []string `json:"option_id"`
			} `json:"option_ids"`
		} `json:"selected_item"`
	} `json:"selected_items"`
}

// Fields returns the click's fields from either placement.
func (e *AIBotCardEvent) Fields() CardEventFields {
	if e.Nested.EventKey != "" {
		return e.Nested
	}
	return e.CardEventFields
}

// SelectedOptions maps each picker's question_key to the options chosen.
func (f CardEventFields) SelectedOptions() map[string][]string {
	m := map[string][]string{}
	for _, it := range f.Selected.Items {
		m[it.QuestionKey] = it.OptionIDs.IDs
	}
	return m
}

// An UpdateTemplateCard answers a click (response_type update_template_card).
type UpdateTemplateCard struct {
	ResponseType string       `json:"response_type"`
	UserIDs      []string     `json:"userids,omitempty"`
	TemplateCard TemplateCard `json:"template_card"`
}

// CardUpdate is the update for a tap on a card whose task_id is taskID:
// for everyone who has the card, except a refusal, a task's details or an
// 申请延期 waiting for its date, which only the tapping user sees.
func CardUpdate(taskID string, a bot.CardAction, v bot.CardView) UpdateTemplateCard {
	u := UpdateTemplateCard{ResponseType: "update_template_card", TemplateCard: ViewCard(taskID, a, v)}
	if v.Refused || a.Verb == bot.VerbDetail || a.Verb == bot.VerbExtend && !v.Final {
		u.UserIDs = []string{a.UserID}
	}
	return u
}

// AIBotCardConfig routes a 智能机器人's card clicks (callback mode) to a
// bot.CardActor.
type AIBotCardConfig struct {
	Actor bot.CardActor // required
	// Dedup drops a click whose msgid was seen; nil acts on each.
	Dedup    store.Deduper
	DedupTTL time.Duration // default 24h
}

type aibotCards struct{ cfg AIBotCardConfig }

// HandleCards makes the callback act on template_card clicks and answer
// each with the card's update as the passive reply.
func (c *AIBotCallback) HandleCards(cfg AIBotCardConfig) error {
	if cfg.Actor == nil {
		return errors.New("wecom: AI bot cards need an actor")
	}
	if cfg.DedupTTL <= 0 {
		cfg.DedupTTL = 24 * time.Hour
	}
	c.cards = &aibotCards{cfg: cfg}
	return nil
}

// aibotCardEvent is what a click adds to aibotMessage.
type aibotCardEvent struct {
	Event AIBotCardEvent `json:"event"`
}

// cardClick acts on a click and answers with the encrypted update.
func (c *AIBotCallback) cardClick(w http.ResponseWriter, r *http.Request, m *aibotMessage, nonce string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 4*time.Second)
	defer cancel()
	h, ev := c.cards, m.Event.Fields()
	log := c.in.log.With("platform", bot.WeComAIBot, "msg_id", m.MsgID)
	verb, table, no, err := CardClick(ev.EventKey, ev.TaskID, ev.SelectedOptions())
	noChoice := errors.Is(err, ErrNoChoice)
	if err != nil && !noChoice || m.MsgID == "" {
		log.Warn("wecom aibot: click on a card that is not duban's", "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	if h.cfg.Dedup != nil {
		first, err := h.cfg.Dedup.FirstSeen(ctx, bot.WeComAIBot+"|card|"+m.MsgID, h.cfg.DedupTTL)
		if err != nil {
			log.Warn("wecom aibot: dedup store failed, acting anyway", "err", err)
		} else if !first {
			log.Debug("wecom aibot: redelivered click dropped")
			w.WriteHeader(http.StatusOK)
			return
		}
	}
	a := bot.CardAction{Platform: "wecom", ID: m.MsgID, UserID: m.From.UserID, Verb: verb, Table: table, No: no}
	if m.ChatType == "group" {
		a.ChatID = m.ChatID
	}
	// The tapper's next message here can bring what a card cannot (an
	// extension's date).
	a.Conversation = (&bot.Message{Platform: bot.WeComAIBot, ChatID: a.ChatID, UserID: a.UserID}).ConversationKey()
	view, err := NoChoiceView, error(nil)
	if !noChoice {
		view, err = h.cfg.Actor.Act(ctx, a)
	}
	switch {
	case errors.Is(err, bot.ErrDuplicate):
		w.WriteHeader(http.StatusOK)
		return
	case err != nil:
		log.Error("wecom aibot: card action failed", "err", err)
		view = bot.CardView{Title: "暂时无法登记，请稍后再试", Refused: true}
	}
	body, err := c.sealJSON(CardUpdate(ev.TaskID, a, view), nonce)
	if err != nil {
		log.Error("wecom aibot: card update", "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}

// sealJSON encrypts v as a passive reply.
func (c *AIBotCallback) sealJSON(v any, nonce string) ([]byte, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("wecom: marshal reply: %w", err)
	}
	now := c.in.now().Unix()
	enc, sig, err := c.in.sealer.seal(plain, now, nonce)
	if err != nil {
		return nil, err
	}
	return json.Marshal(jsonEnvelope{Encrypt: enc, MsgSignature: sig, Timestamp: now, Nonce: nonce})
}
