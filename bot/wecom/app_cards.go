package wecom

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/outbound"
)

// A self-built app sends a reminder card to a person (the unit's contact;
// an app cannot put a card in an ordinary group, PROTOCOLS §9.2) with
// message/send. The click comes back to the app's callback as an
// encrypted XML event (Event template_card_event, EventKey, TaskId,
// ResponseCode, SelectedItems), and the card is replaced with
// message/update_template_card, spending the click's single-use
// response_code (valid 72 h).

// An AppCard is the sender of a person whose reminders go as cards: a
// reply with Tasks is one button_interaction card, anything else text
// through message/send as AppMessage sends it.
type AppCard struct {
	app  *App
	user string
	text *AppMessage
}

var (
	_ bot.Sender      = (*AppCard)(nil)
	_ outbound.Sender = (*AppCard)(nil)
)

// CardsTo returns the card sender to one user.
func (a *App) CardsTo(userID string) *AppCard {
	return &AppCard{app: a, user: userID, text: a.Users(userID)}
}

// appCardMsg is message/send's body for a card.
type appCardMsg struct {
	ToUser  string       `json:"touser"`
	MsgType string       `json:"msgtype"` // "template_card"
	AgentID int64        `json:"agentid"`
	Card    TemplateCard `json:"template_card"`
}

// Render implements outbound.Renderer: a reply with Tasks is one card.
func (s *AppCard) Render(r handlers.Reply) []outbound.Message {
	if len(r.Tasks) == 0 {
		return s.text.Render(r)
	}
	c := DigestCard(r, time.Now())
	body, err := json.Marshal(appCardMsg{ToUser: s.user, MsgType: "template_card", AgentID: s.app.agentID, Card: c})
	if err != nil {
		return nil
	}
	return []outbound.Message{{Text: c.MainTitle.Title + "（" + strconv.Itoa(len(r.Tasks)) + "项，卡片）", Body: body}}
}

// Limit implements outbound.Renderer.
func (s *AppCard) Limit(r handlers.Reply) int { return s.text.Limit(r) }

// Post implements outbound.Sender: one message/send, card or text.
func (s *AppCard) Post(ctx context.Context, m outbound.Message) error { return s.text.Post(ctx, m) }

// Send implements bot.Sender.
func (s *AppCard) Send(ctx context.Context, r handlers.Reply) error {
	return outbound.Send(ctx, s, r)
}

// Parts implements bot.PartCounter.
func (s *AppCard) Parts(r handlers.Reply) int { return len(s.Render(r)) }

// UpdateCard replaces a clicked card for users, spending responseCode.
func (a *App) UpdateCard(ctx context.Context, responseCode string, userIDs []string, c TemplateCard) error {
	body := map[string]any{"userids": userIDs, "agentid": a.agentID, "response_code": responseCode, "template_card": c}
	return a.call(ctx, "message/update_template_card", "/cgi-bin/message/update_template_card", body, &apiStatus{})
}

// A Deduper remembers click IDs; store.Deduper is one.
type Deduper interface {
	FirstSeen(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// AppCardConfig routes the app's card clicks to a bot.CardActor.
type AppCardConfig struct {
	App   *App          // updates the cards; required
	Actor bot.CardActor // required
	// Dedup drops a click seen before: WeCom resends a callback it got no
	// answer to within 5 s. Events have no MsgId; the click's
	// ResponseCode, new for every click, stands for it.
	Dedup    Deduper
	DedupTTL time.Duration // default 24h
	// ChatOf names the chat a user's 1:1 card speaks for (a unit's
	// contact reports for the unit's group), as CardAction.ChatID; nil or
	// "" leaves it empty, and the actor decides by the user alone.
	ChatOf func(userID string) string
}

type appCards struct{ cfg AppCardConfig }

// HandleCards makes the callback act on template_card clicks.
func (c *Callback) HandleCards(cfg AppCardConfig) error {
	if cfg.App == nil || cfg.Actor == nil {
		return errors.New("wecom: app cards need an App and an actor")
	}
	if cfg.DedupTTL <= 0 {
		cfg.DedupTTL = 24 * time.Hour
	}
	c.cards = &appCards{cfg: cfg}
	return nil
}

// eventTemplateCard is the Event (app) and eventtype (智能机器人) of a click.
const eventTemplateCard = "template_card_event"

// appCardEvent is what a click adds to an app event (path/90240).
type appCardEvent struct {
	EventKey      string `xml:"EventKey"`
	TaskID        string `xml:"TaskId"`
	CardType      string `xml:"CardType"`
	ResponseCode  string `xml:"ResponseCode"`
	SelectedItems struct {
		Items []struct {
			QuestionKey string   `xml:"QuestionKey"`
			OptionIDs   []string `xml:"OptionIds>OptionId"`
		} `xml:"SelectedItem"`
	} `xml:"SelectedItems"`
}

func (e *appCardEvent) selected() map[string][]string {
	m := map[string][]string{}
	for _, it := range e.SelectedItems.Items {
		m[it.QuestionKey] = it.OptionIDs
	}
	return m
}

// cardClick acts on one click, updates the card and answers WeCom with
// an empty 200 (the update goes through the API, not the passive reply).
func (c *Callback) cardClick(w http.ResponseWriter, r *http.Request, m *appMessage) {
	defer w.WriteHeader(http.StatusOK)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 4*time.Second)
	defer cancel()
	h, ev := c.cards, &m.appCardEvent
	log := c.in.log.With("platform", bot.WeComApp, "user", m.FromUserName)
	verb, table, no, err := CardClick(ev.EventKey, ev.TaskID, ev.selected())
	noChoice := errors.Is(err, ErrNoChoice)
	if err != nil && !noChoice || ev.ResponseCode == "" {
		log.Warn("wecom app: click on a card that is not duban's", "err", err)
		return
	}
	if h.cfg.Dedup != nil {
		first, err := h.cfg.Dedup.FirstSeen(ctx, bot.WeComApp+"|card|"+ev.ResponseCode, h.cfg.DedupTTL)
		if err != nil {
			log.Warn("wecom app: dedup store failed, acting anyway", "err", err)
		} else if !first {
			log.Debug("wecom app: redelivered click dropped")
			return
		}
	}
	a := bot.CardAction{Platform: "wecom", ID: ev.ResponseCode, UserID: m.FromUserName, Verb: verb, Table: table, No: no}
	if h.cfg.ChatOf != nil {
		// FromUserName is WeCom's, inside the signed ciphertext: only the
		// configured contact's taps speak for the chat.
		a.ChatID = h.cfg.ChatOf(m.FromUserName)
	}
	view, err := NoChoiceView, error(nil)
	if !noChoice {
		view, err = h.cfg.Actor.Act(ctx, a)
	}
	switch {
	case errors.Is(err, bot.ErrDuplicate):
		return
	case err != nil:
		log.Error("wecom app: card action failed", "err", err)
		view = bot.CardView{Title: "暂时无法登记，请稍后再试", Refused: true}
	}
	if err := h.cfg.App.UpdateCard(ctx, ev.ResponseCode, []string{m.FromUserName}, ViewCard(ev.TaskID, a, view)); err != nil {
		log.Error("wecom app: card update failed", "err", err)
	}
}
