package longconn

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"duban/bot"
	"duban/bot/wecom"
	"duban/handlers"
	"duban/outbound"
	"duban/store"
)

// Card frames (PROTOCOLS §9.1; the official Node SDK v1.0.6,
// src/types/api.ts and event.ts); the click's JSON and its update are
// package wecom's (aibot_cards.go), shared with the callback mode:
//
//	client → server  {"cmd":"aibot_send_msg","headers":{"req_id":"…"},"body":{"chatid":"…","msgtype":"template_card","template_card":{…}}}
//	server → client  {"cmd":"aibot_event_callback","headers":{"req_id":"R"},"body":{"msgid":"…","msgtype":"event","event":{"eventtype":"template_card_event",…}}}
//	client → server  {"cmd":"aibot_respond_update_msg","headers":{"req_id":"R"},"body":{"response_type":"update_template_card","template_card":{…}}}
const (
	cmdUpdate         = "aibot_respond_update_msg"
	eventTemplateCard = "template_card_event"
	// cardReplyWithin is how long a click may take to answer: WeCom drops
	// the event after 5 s without an update, and the frame needs a moment.
	cardReplyWithin = 4 * time.Second
)

// CardConfig routes template_card clicks to a bot.CardActor.
type CardConfig struct {
	Actor bot.CardActor // required
	// Dedup drops a click whose msgid was seen (WeCom may deliver an
	// event twice); nil acts on every delivery.
	Dedup    store.Deduper
	DedupTTL time.Duration // default 24h
}

type cardHandler struct {
	cfg CardConfig
}

// HandleCards makes the client act on template_card clicks; call it
// before Run. Without it clicks are ignored.
func (c *Client) HandleCards(cfg CardConfig) {
	if cfg.Actor == nil {
		panic("longconn: HandleCards with nil actor")
	}
	if cfg.DedupTTL <= 0 {
		cfg.DedupTTL = 24 * time.Hour
	}
	c.cards = &cardHandler{cfg: cfg}
}

// cardClick is a template_card_event as read from the frame.
type cardClick struct {
	MsgID    string `json:"msgid"`
	ChatID   string `json:"chatid"`
	ChatType string `json:"chattype"`
	From     struct {
		UserID string `json:"userid"`
	} `json:"from"`
	Event wecom.AIBotCardEvent `json:"event"`
}

// cardEvent queues a template_card click for the pool and reports whether
// the frame was one.
func (c *Client) cardEvent(p *pool, j job, f *frame) bool {
	if c.cards == nil || j.body.Event.EventType != eventTemplateCard {
		return false
	}
	var k cardClick
	if err := json.Unmarshal(f.Body, &k); err != nil || k.MsgID == "" || j.reqID == "" {
		c.cfg.Logger.Warn("wecom long connection: card click refused", "platform", bot.WeComAIBot, "err", err)
		return true
	}
	j.click = &k
	if !p.trySubmit(j) {
		c.cfg.Logger.Warn("wecom long connection: queue full, card click dropped", "platform", bot.WeComAIBot, "msg_id", k.MsgID)
	}
	return true
}

// work runs one job of the pool: a click or a message.
func (c *Client) work(runCtx context.Context, j job) {
	if j.click != nil {
		c.click(runCtx, j)
		return
	}
	c.answer(runCtx, j)
}

// click acts on one tap and updates the card in place with the event's
// req_id, within WeCom's 5 s. That is the only update a 智能机器人 card
// gets: there is no later update by a stored handle (no response_code,
// no outTrackId), so the click carries no CardAction.Card and a
// reviewer's decision later does not reach this card; the unit sees it in
// answers and the next reminder.
func (c *Client) click(runCtx context.Context, j job) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(runCtx), cardReplyWithin)
	defer cancel()
	k, h := j.click, c.cards
	log := c.cfg.Logger.With("platform", bot.WeComAIBot, "msg_id", k.MsgID)
	ev := k.Event.Fields()
	verb, table, no, err := wecom.CardClick(ev.EventKey, ev.TaskID, ev.SelectedOptions())
	noChoice := errors.Is(err, wecom.ErrNoChoice)
	if err != nil && !noChoice {
		log.Warn("wecom long connection: click on a card that is not duban's", "err", err)
		return
	}
	if h.cfg.Dedup != nil {
		first, err := h.cfg.Dedup.FirstSeen(ctx, bot.WeComAIBot+"|card|"+k.MsgID, h.cfg.DedupTTL)
		if err != nil {
			log.Warn("wecom long connection: dedup store failed, acting anyway", "err", err)
		} else if !first {
			log.Debug("wecom long connection: redelivered click dropped")
			return
		}
	}
	a := bot.CardAction{Platform: "wecom", ID: k.MsgID, UserID: k.From.UserID, Verb: verb, Table: table, No: no}
	if k.ChatType == "group" {
		a.ChatID = k.ChatID
	}
	// The tapper's next message here (as frames.go reads it) can bring
	// what a card cannot: an extension's date.
	a.Conversation = (&bot.Message{Platform: bot.WeComAIBot, ChatID: a.ChatID, UserID: a.UserID}).ConversationKey()
	view, err := wecom.NoChoiceView, error(nil)
	if !noChoice {
		view, err = h.cfg.Actor.Act(ctx, a)
	}
	switch {
	case errors.Is(err, bot.ErrDuplicate):
		log.Debug("wecom long connection: click already acted on")
		return
	case err != nil:
		log.Error("wecom long connection: card action failed", "err", err)
		view = bot.CardView{Title: "暂时无法登记，请稍后再试", Refused: true}
	}
	if err := c.updateCard(ctx, j, wecom.CardUpdate(ev.TaskID, a, view)); err != nil {
		log.Error("wecom long connection: card update failed", "err", err)
	}
}

// updateCard sends the update on the connection the click came in on;
// the req_id belongs to it, and the event is not delivered again.
func (c *Client) updateCard(ctx context.Context, j job, u wecom.UpdateTemplateCard) error {
	_, err := j.s.request(ctx, cmdUpdate, j.reqID, u)
	return err
}

// cardSendBody is a proactive aibot_send_msg card.
type cardSendBody struct {
	ChatID       string             `json:"chatid"`
	MsgType      string             `json:"msgtype"` // "template_card"
	TemplateCard wecom.TemplateCard `json:"template_card"`
}

// SendCard pushes r to a chat as one button_interaction card (see
// wecom.DigestCard); r must carry Tasks.
func (c *Client) SendCard(ctx context.Context, chatID string, r handlers.Reply) error {
	if chatID == "" || len(r.Tasks) == 0 {
		return errors.New("wecom long connection: send card: no chat id or no tasks")
	}
	return outbound.Send(ctx, CardSender{Client: c, ChatID: chatID}, r)
}

// A CardSender is the sender of a chat whose reminders go as cards: a
// reply with Tasks is one card, anything else markdown as ChatSender
// sends it.
type CardSender struct {
	Client *Client
	ChatID string
}

var (
	_ bot.Sender      = CardSender{}
	_ outbound.Sender = CardSender{}
)

// Render implements outbound.Renderer: a reply with Tasks is one card
// (its task_id made here, so a retry posts the same card); any other
// reply is markdown within the 20480-byte limit, one message a piece.
func (s CardSender) Render(r handlers.Reply) []outbound.Message {
	if len(r.Tasks) > 0 {
		c := wecom.DigestCard(r, time.Now())
		body, err := json.Marshal(cardSendBody{ChatID: s.ChatID, MsgType: "template_card", TemplateCard: c})
		if err != nil {
			return nil
		}
		return []outbound.Message{{Text: c.MainTitle.Title + "（" + strconv.Itoa(len(r.Tasks)) + "项，卡片）", Body: body}}
	}
	pieces := handlers.Render(r, handlers.WeComAIBot)
	if outbound.Blank(pieces) {
		return nil
	}
	msgs := make([]outbound.Message, len(pieces))
	for i, p := range pieces {
		body, _ := json.Marshal(newMarkdownBody(s.ChatID, p))
		msgs[i] = outbound.Message{Text: p, Body: body}
	}
	return msgs
}

// Limit implements outbound.Renderer.
func (s CardSender) Limit(handlers.Reply) int { return maxContentBytes }

// Post implements outbound.Sender: one aibot_send_msg, waiting for a
// connection while ctx allows. *APIError and *TransportError have
// Retryable.
func (s CardSender) Post(ctx context.Context, m outbound.Message) error {
	c := s.Client
	sess, err := c.session(ctx)
	if err != nil {
		return &TransportError{Cmd: cmdSend, Err: err, Unsent: true}
	}
	rctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	_, err = sess.request(rctx, cmdSend, newReqID(cmdSend), json.RawMessage(m.Body))
	return err
}

// Send implements bot.Sender.
func (s CardSender) Send(ctx context.Context, r handlers.Reply) error {
	return outbound.Send(ctx, s, r)
}

// Parts implements bot.PartCounter: a card is one message.
func (s CardSender) Parts(r handlers.Reply) int { return len(s.Render(r)) }
