package longconntest

import (
	"encoding/json"
	"regexp"
	"time"
)

// Cards (PROTOCOLS §9.1): the fake accepts aibot_send_msg with
// msgtype template_card, checking the limits WeCom documents, delivers
// template_card_event clicks, and accepts one aibot_respond_update_msg per
// click on the connection that delivered it, within UpdateWithin.

// UpdateWithin is how long after a click WeCom takes its update (5 s).
const UpdateWithin = 5 * time.Second

// CodeCardInvalid answers a card that breaks a documented limit; this
// fake's choice of code.
const CodeCardInvalid = 40058

// A Card is one accepted template_card push.
type Card struct {
	ChatID string
	Card   TemplateCard
	Conn   int
}

// An Update is one accepted aibot_respond_update_msg.
type Update struct {
	ReqID   string // the click's req_id
	UserIDs []string
	Card    TemplateCard
	Conn    int
}

// TemplateCard is the part of a template_card the fake reads.
type TemplateCard struct {
	CardType  string `json:"card_type"`
	MainTitle struct {
		Title string `json:"title"`
		Desc  string `json:"desc"`
	} `json:"main_title"`
	SubTitleText string `json:"sub_title_text"`
	Fields       []struct {
		KeyName string `json:"keyname"`
		Value   string `json:"value"`
	} `json:"horizontal_content_list"`
	Selection *struct {
		QuestionKey string `json:"question_key"`
		SelectedID  string `json:"selected_id"`
		Options     []struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"option_list"`
	} `json:"button_selection"`
	Buttons []struct {
		Text string `json:"text"`
		Key  string `json:"key"`
	} `json:"button_list"`
	TaskID string `json:"task_id"`
}

// A Click is a tap on a card's button. Selected, when set, is the picker
// choice sent as selected_items; Flat puts event_key and task_id straight
// on event, as the official SDK's type has them.
type Click struct {
	MsgID    string
	ChatID   string // "" in a single chat
	UserID   string
	EventKey string
	TaskID   string
	Selected map[string]string // question_key → option id
	Flat     bool
}

type cardState struct {
	taskIDs   map[string]bool // task_ids used by this bot
	sent      []Card
	updates   []Update
	clickedAt map[string]time.Time // by req_id
	changed   chan struct{}        // closed and replaced at each update
}

var taskIDChars = regexp.MustCompile(`^[0-9A-Za-z_\-@]{1,128}$`)

// check returns what breaks a documented limit of a card, "" if nothing.
func (c *TemplateCard) check() string {
	switch {
	case c.CardType == "":
		return "card_type missing"
	case c.CardType == "button_interaction" && (len(c.Buttons) == 0 || len(c.Buttons) > 6):
		return "button_list must hold 1..6 buttons"
	case len(c.Fields) > 6:
		return "horizontal_content_list longer than 6"
	case !taskIDChars.MatchString(c.TaskID):
		return "task_id missing or not [0-9A-Za-z_-@]{1,128}"
	}
	keys := map[string]bool{}
	for _, b := range c.Buttons {
		if b.Key == "" || len(b.Key) > 1024 || keys[b.Key] {
			return "button key empty, too long or repeated"
		}
		keys[b.Key] = true
	}
	if s := c.Selection; s != nil {
		if s.QuestionKey == "" || len(s.Options) == 0 || len(s.Options) > 10 {
			return "button_selection needs question_key and 1..10 options"
		}
		ids := map[string]bool{}
		for _, o := range s.Options {
			if o.ID == "" || len(o.ID) > 128 || ids[o.ID] {
				return "option id empty, too long or repeated"
			}
			ids[o.ID] = true
		}
	}
	return ""
}

func (s *Server) sendCard(cn *conn, chatID string, body json.RawMessage) (int, string) {
	var b struct {
		Card TemplateCard `json:"template_card"`
	}
	if json.Unmarshal(body, &b) != nil {
		return CodeBadPayload, "template_card is not json"
	}
	if why := b.Card.check(); why != "" {
		return CodeCardInvalid, why
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cards.taskIDs[b.Card.TaskID] {
		return CodeCardInvalid, "task_id already used"
	}
	if s.cards.taskIDs == nil {
		s.cards.taskIDs = map[string]bool{}
	}
	s.cards.taskIDs[b.Card.TaskID] = true
	s.cards.sent = append(s.cards.sent, Card{ChatID: chatID, Card: b.Card, Conn: cn.n})
	return 0, "ok"
}

func (s *Server) update(cn *conn, f inFrame) (int, string) {
	var b struct {
		ResponseType string       `json:"response_type"`
		UserIDs      []string     `json:"userids"`
		Card         TemplateCard `json:"template_card"`
	}
	if json.Unmarshal(f.Body, &b) != nil {
		return CodeBadPayload, "body is not json"
	}
	cn.mu.Lock()
	known := cn.events[f.Headers.ReqID]
	delete(cn.events, f.Headers.ReqID) // one update per click
	cn.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.cards.clickedAt[f.Headers.ReqID]
	switch {
	case !known:
		return CodeUnknownReqID, "req_id is no click of this connection, or already answered"
	case time.Since(at) > UpdateWithin:
		return CodeUnknownReqID, "update later than 5 s"
	case b.ResponseType != "update_template_card":
		return CodeBadPayload, "response_type must be update_template_card"
	}
	if why := b.Card.check(); why != "" && b.Card.CardType != "text_notice" {
		return CodeCardInvalid, why
	}
	s.cards.updates = append(s.cards.updates, Update{ReqID: f.Headers.ReqID, UserIDs: b.UserIDs, Card: b.Card, Conn: cn.n})
	if s.cards.changed != nil {
		close(s.cards.changed)
		s.cards.changed = nil
	}
	return 0, "ok"
}

// Click delivers a template_card_event to the subscribed client and
// returns its req_id. Delivering the same Click twice replays it (same
// msgid), as WeCom may.
func (s *Server) Click(k Click) (string, error) {
	cn, err := s.current()
	if err != nil {
		return "", err
	}
	reqID := "ev_" + randomID()
	fields := map[string]any{"card_type": "button_interaction", "event_key": k.EventKey, "task_id": k.TaskID}
	if len(k.Selected) > 0 {
		var items []any
		for q, id := range k.Selected {
			items = append(items, map[string]any{"question_key": q, "option_ids": map[string]any{"option_id": []string{id}}})
		}
		fields["selected_items"] = map[string]any{"selected_item": items}
	}
	event := map[string]any{"eventtype": "template_card_event"}
	if k.Flat {
		for key, v := range fields {
			event[key] = v
		}
	} else {
		event["template_card_event"] = fields
	}
	body := map[string]any{"msgid": k.MsgID, "create_time": time.Now().Unix(), "aibotid": BotID,
		"chattype": "single", "from": map[string]string{"userid": k.UserID}, "msgtype": "event", "event": event}
	if k.ChatID != "" {
		body["chattype"], body["chatid"] = "group", k.ChatID
	}
	cn.mu.Lock()
	cn.events[reqID] = true
	cn.mu.Unlock()
	s.mu.Lock()
	if s.cards.clickedAt == nil {
		s.cards.clickedAt = map[string]time.Time{}
	}
	s.cards.clickedAt[reqID] = time.Now()
	s.mu.Unlock()
	return reqID, cn.write(map[string]any{"cmd": "aibot_event_callback", "headers": map[string]string{"req_id": reqID}, "body": body})
}

// Cards returns the accepted card pushes, in order.
func (s *Server) Cards() []Card {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Card(nil), s.cards.sent...)
}

// Updates returns the accepted card updates, in order.
func (s *Server) Updates() []Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Update(nil), s.cards.updates...)
}

// UpdateSignal returns a channel closed at the next accepted update, for
// waiting without polling.
func (s *Server) UpdateSignal() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cards.changed == nil {
		s.cards.changed = make(chan struct{})
	}
	return s.cards.changed
}
