package wecom

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/outbound"
	"duban/store"
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

// AppCardConfig routes the app's card clicks to a bot.CardActor.
type AppCardConfig struct {
	App   *App          // updates the cards; required
	Actor bot.CardActor // required
	// Dedup drops a click seen before: WeCom resends a callback it got no
	// answer to within 5 s. Events have no MsgId; the click's
	// ResponseCode, new for every click, stands for it.
	Dedup    store.Deduper
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

// cardClick acts on one click and updates the card: through the API with
// the click's response_code, answering WeCom with an empty 200; or, when
// the actor kept the code for the reviewer's decision (CardView.Later), by
// the passive reply that renames the tapped button for the tapper, which
// spends no code (path/90241, 更新点击用户的按钮文案).
func (c *Callback) cardClick(w http.ResponseWriter, r *http.Request, m *appMessage) {
	passive := false
	defer func() {
		if !passive {
			w.WriteHeader(http.StatusOK)
		}
	}()
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
	a := bot.CardAction{Platform: "wecom", ID: ev.ResponseCode, UserID: m.FromUserName, Verb: verb, Table: table, No: no,
		// The tapper's next 1:1 message to the app can bring an extension's
		// date.
		Conversation: (&bot.Message{Platform: bot.WeComApp, UserID: m.FromUserName}).ConversationKey()}
	if len(ParseTaskID(ev.TaskID)) <= 1 {
		// The code, unspent, can show the reviewer's decision later.
		// Only a card of one task keeps it for that: the
		// passive reply that spares the code can only rename the buttons,
		// which disables them, and on a card of several tasks the others'
		// buttons would go too. Such a card is updated now instead.
		a.Card = AppCardRef(ev.ResponseCode, ev.TaskID)
	}
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
	if view.Later {
		body, err := c.passiveButton(m.FromUserName, handlers.PendingButton(a.Verb), r.URL.Query().Get("nonce"))
		if err != nil {
			log.Error("wecom app: card button reply", "err", err)
			return
		}
		passive = true
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Write(body)
		return
	}
	if err := h.cfg.App.UpdateCard(ctx, ev.ResponseCode, []string{m.FromUserName}, ViewCard(ev.TaskID, a, view)); err != nil {
		log.Error("wecom app: card update failed", "err", err)
	}
}

// passiveButtonXML is the passive reply that renames the button the user
// tapped (path/90241, MsgType update_button).
type passiveButtonXML struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   cdata    `xml:"ToUserName"`
	FromUserName cdata    `xml:"FromUserName"`
	CreateTime   int64    `xml:"CreateTime"`
	MsgType      cdata    `xml:"MsgType"`
	ReplaceName  cdata    `xml:"Button>ReplaceName"`
}

// passiveButton is the encrypted update_button reply to user.
func (c *Callback) passiveButton(user, name, nonce string) ([]byte, error) {
	now := c.in.now().Unix()
	plain, err := xml.Marshal(passiveButtonXML{ToUserName: cdata{user}, FromUserName: cdata{c.corpID}, CreateTime: now,
		MsgType: cdata{"update_button"}, ReplaceName: cdata{name}})
	if err != nil {
		return nil, fmt.Errorf("wecom: marshal button reply: %w", err)
	}
	enc, sig, err := c.in.sealer.seal(plain, now, nonce)
	if err != nil {
		return nil, err
	}
	return xml.Marshal(passiveEnvelope{Encrypt: cdata{enc}, MsgSignature: cdata{sig}, TimeStamp: now, Nonce: cdata{nonce}})
}

// AppCardRef is the handle (bot.CardAction.Card) of an app card tapped
// with responseCode on the card taskID: what a later update needs.
func AppCardRef(responseCode, taskID string) string { return responseCode + "|" + taskID }

// An AppCardUpdater shows a later view (a reviewer's decision) on an app
// card by the unspent response_code of its tap (report.CardUpdater). The
// code is valid 72 h and once: a second update, or a later one, is an
// *APIError.
type AppCardUpdater struct{ App *App }

// UpdateCard replaces the card of ref (AppCardRef) for the user who
// tapped it with v, rebuilt over the card's tasks from its task_id.
func (u AppCardUpdater) UpdateCard(ctx context.Context, ref string, a bot.CardAction, v bot.CardView) error {
	code, taskID, ok := strings.Cut(ref, "|")
	if !ok || code == "" || a.UserID == "" {
		return fmt.Errorf("wecom: update app card: bad handle %q or no user", ref)
	}
	return u.App.UpdateCard(ctx, code, []string{a.UserID}, ViewCard(taskID, a, v))
}
