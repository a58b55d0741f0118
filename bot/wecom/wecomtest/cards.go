package wecomtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Template cards of a self-built app (PROTOCOLS §9.2): message/send with
// msgtype template_card to users, the click as an encrypted XML event
// carrying a single-use ResponseCode, and message/update_template_card
// spending that code (valid 72 h).

// UpdateTemplateCard is the endpoint that updates a card after a click.
const UpdateTemplateCard = "message/update_template_card"

// ResponseCodeTTL is how long a click's response_code may be spent.
const ResponseCodeTTL = 72 * time.Hour

// A SentCard is one accepted template_card message.
type SentCard struct {
	ToUser string
	Card   Card
}

// A CardUpdate is one accepted update_template_card.
type CardUpdate struct {
	UserIDs      []string
	ResponseCode string
	Card         *Card // nil when only a button's text was replaced
	ReplaceName  string
}

// Card is the part of a template_card the fake reads and checks.
type Card struct {
	CardType  string `json:"card_type"`
	MainTitle struct {
		Title string `json:"title"`
		Desc  string `json:"desc"`
	} `json:"main_title"`
	SubTitleText string `json:"sub_title_text"`
	Selection    *struct {
		QuestionKey string `json:"question_key"`
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

type cardState struct {
	taskIDs map[string]bool
	sent    []SentCard
	updates []CardUpdate
	codes   map[string]time.Time // response codes issued by clicks → expiry
}

var taskIDRe = regexp.MustCompile(`^[0-9A-Za-z_\-@]{1,128}$`)

// check returns what breaks a documented limit, "" if nothing.
func (c *Card) check() string {
	switch {
	case c.CardType == "":
		return "card_type missing"
	case c.CardType == "button_interaction" && (len(c.Buttons) == 0 || len(c.Buttons) > 6):
		return "button_list must hold 1..6 buttons"
	case c.CardType == "button_interaction" && !taskIDRe.MatchString(c.TaskID):
		return "task_id missing or not [0-9A-Za-z_-@]{1,128}"
	case c.Selection != nil && (len(c.Selection.Options) == 0 || len(c.Selection.Options) > 10):
		return "option_list must hold 1..10 options"
	}
	keys := map[string]bool{}
	for _, b := range c.Buttons {
		if b.Key == "" || len(b.Key) > 1024 || keys[b.Key] {
			return "button key empty, too long or repeated"
		}
		keys[b.Key] = true
	}
	return ""
}

// acceptAny routes template cards to the card checks and everything else
// to accept.
func (s *Server) acceptAny(ep string, r *http.Request, body []byte) (Sent, int, string) {
	var head struct {
		MsgType string `json:"msgtype"`
	}
	json.Unmarshal(body, &head)
	switch {
	case ep == UpdateTemplateCard:
		return s.acceptUpdate(r, body)
	case ep == MessageSend && head.MsgType == "template_card":
		return s.acceptCard(r, body)
	}
	return s.accept(ep, r, body)
}

func (s *Server) acceptCard(r *http.Request, body []byte) (Sent, int, string) {
	sent := Sent{Endpoint: MessageSend, MsgType: "template_card", Body: body, AccessToken: r.URL.Query().Get("access_token")}
	if code, msg := s.tokenCode(sent.AccessToken); code != 0 {
		return sent, code, msg
	}
	var m struct {
		ToUser  string          `json:"touser"`
		AgentID json.RawMessage `json:"agentid"`
		Card    *Card           `json:"template_card"`
	}
	if err := json.Unmarshal(body, &m); err != nil || m.Card == nil {
		s.violation("message/send template_card body: %v: %s", err, body)
		return sent, 40058, "invalid template_card"
	}
	var agent int64
	if json.Unmarshal(m.AgentID, &agent) != nil || agent != s.Opts.AgentID {
		return sent, 40056, "invalid agentid"
	}
	if m.ToUser == "" {
		return sent, 40031, "invalid user list"
	}
	if why := m.Card.check(); why != "" {
		s.violation("template_card: %s", why)
		return sent, 40058, why
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cards.taskIDs[m.Card.TaskID] {
		return sent, 40058, "task_id already used by this app"
	}
	if s.cards.taskIDs == nil {
		s.cards.taskIDs = map[string]bool{}
	}
	s.cards.taskIDs[m.Card.TaskID] = true
	s.cards.sent = append(s.cards.sent, SentCard{ToUser: m.ToUser, Card: *m.Card})
	sent.ToUser, sent.AgentID = m.ToUser, agent
	return sent, 0, ""
}

func (s *Server) acceptUpdate(r *http.Request, body []byte) (Sent, int, string) {
	sent := Sent{Endpoint: UpdateTemplateCard, Body: body, AccessToken: r.URL.Query().Get("access_token")}
	if code, msg := s.tokenCode(sent.AccessToken); code != 0 {
		return sent, code, msg
	}
	var m struct {
		UserIDs      []string        `json:"userids"`
		AgentID      json.RawMessage `json:"agentid"`
		ResponseCode string          `json:"response_code"`
		Button       *struct {
			ReplaceName string `json:"replace_name"`
		} `json:"button"`
		Card *Card `json:"template_card"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		s.violation("update_template_card body: %v", err)
		return sent, 40058, "invalid json"
	}
	var agent int64
	if json.Unmarshal(m.AgentID, &agent) != nil || agent != s.Opts.AgentID {
		return sent, 40056, "invalid agentid"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.cards.codes[m.ResponseCode]
	delete(s.cards.codes, m.ResponseCode) // single use
	switch {
	case !ok || time.Now().After(exp):
		return sent, 40058, "invalid, used or expired response_code"
	case m.Card == nil && m.Button == nil:
		return sent, 40058, "template_card or button required"
	}
	u := CardUpdate{UserIDs: m.UserIDs, ResponseCode: m.ResponseCode, Card: m.Card}
	if m.Button != nil {
		u.ReplaceName = m.Button.ReplaceName
	}
	if m.Card != nil {
		if why := m.Card.check(); why != "" {
			s.violation("updated template_card: %s", why)
			return sent, 40058, why
		}
	}
	s.cards.updates = append(s.cards.updates, u)
	return sent, 0, ""
}

// TemplateCardEvent is the decrypted XML of a click on an app's
// button_interaction card (path/90240), with a fresh ResponseCode the fake
// will accept once; selected maps a picker's question_key to the option
// chosen. It returns the XML and the response code.
func (s *Server) TemplateCardEvent(fromUser, eventKey, taskID string, selected map[string]string, at time.Time) ([]byte, string) {
	code := "rc" + randHex(12)
	s.mu.Lock()
	if s.cards.codes == nil {
		s.cards.codes = map[string]time.Time{}
	}
	s.cards.codes[code] = time.Now().Add(ResponseCodeTTL)
	s.mu.Unlock()
	var sel strings.Builder
	if len(selected) > 0 {
		sel.WriteString("<SelectedItems>")
		for q, id := range selected {
			fmt.Fprintf(&sel, "<SelectedItem><QuestionKey><![CDATA[%s]]></QuestionKey><OptionIds><OptionId><![CDATA[%s]]></OptionId></OptionIds></SelectedItem>", q, id)
		}
		sel.WriteString("</SelectedItems>")
	}
	return fmt.Appendf(nil, "<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>"+
		"<CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>"+
		"<EventKey><![CDATA[%s]]></EventKey><TaskId><![CDATA[%s]]></TaskId><CardType><![CDATA[button_interaction]]></CardType>"+
		"<ResponseCode><![CDATA[%s]]></ResponseCode><AgentID>%d</AgentID>%s</xml>",
		s.Opts.CorpID, fromUser, at.Unix(), eventKey, taskID, code, s.Opts.AgentID, sel.String()), code
}

// Cards returns the accepted template_card messages, in order.
func (s *Server) Cards() []SentCard {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentCard(nil), s.cards.sent...)
}

// CardUpdates returns the accepted card updates, in order.
func (s *Server) CardUpdates() []CardUpdate {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CardUpdate(nil), s.cards.updates...)
}

// AIBotCardClick is the decrypted JSON of a click on a 智能机器人's card
// (path/101027); chatID "" makes a single chat, selected a picker's
// choice as selected_items.
func AIBotCardClick(msgID, chatID, userID, eventKey, taskID string, selected map[string]string) []byte {
	ev := map[string]any{"card_type": "button_interaction", "event_key": eventKey, "task_id": taskID}
	if len(selected) > 0 {
		var items []any
		for q, id := range selected {
			items = append(items, map[string]any{"question_key": q, "option_ids": map[string]any{"option_id": []string{id}}})
		}
		ev["selected_items"] = map[string]any{"selected_item": items}
	}
	m := map[string]any{
		"msgid": msgID, "create_time": 1700000000, "aibotid": "AIBOTID", "chattype": "single",
		"from": map[string]string{"userid": userID}, "msgtype": "event",
		"event": map[string]any{"eventtype": "template_card_event", "template_card_event": ev},
	}
	if chatID != "" {
		m["chattype"], m["chatid"] = "group", chatID
	}
	b, _ := json.Marshal(m)
	return b
}
