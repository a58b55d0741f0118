package wecomtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Content limits in bytes of UTF-8 (PROTOCOLS §1.9, §2, §3).
var limits = map[string]map[string]int{
	Webhook:       {"text": 2048, "markdown": 4096, "markdown_v2": 4096},
	MessageSend:   {"text": 2048, "markdown": 2048},
	AppChatSend:   {"text": 2048, "markdown": 2048},
	AIBotResponse: {"markdown": 20480},
}

var chatIDRe = regexp.MustCompile(`^[0-9a-zA-Z]{1,32}$`)

// wireMsg is every field the endpoints take; raw keeps agentid's JSON
// type, which must be a number.
type wireMsg struct {
	MsgType  string          `json:"msgtype"`
	ChatID   string          `json:"chatid"`
	ToUser   string          `json:"touser"`
	AgentID  json.RawMessage `json:"agentid"`
	Safe     *int            `json:"safe"`
	Text     *wireText       `json:"text"`
	Markdown *wireText       `json:"markdown"`
	MDv2     *wireText       `json:"markdown_v2"`
}

type wireText struct {
	Content             string   `json:"content"`
	MentionedList       []string `json:"mentioned_list"`
	MentionedMobileList []string `json:"mentioned_mobile_list"`
}

// accept checks one outbound POST the way WeCom would and returns the
// recorded message or WeCom's errcode. Shape errors a correct client never
// makes also fail the test.
func (s *Server) accept(ep string, r *http.Request, body []byte) (Sent, int, string) {
	if _, ok := limits[ep]; !ok {
		return Sent{}, 404, "unknown endpoint " + ep
	}
	if r.Method != http.MethodPost {
		s.violation("%s must be POST, got %s", ep, r.Method)
		return Sent{}, 43002, "require POST method"
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		s.violation("%s Content-Type %q, want application/json", ep, r.Header.Get("Content-Type"))
	}
	q := r.URL.Query()
	sent := Sent{Endpoint: ep, Body: body}
	switch ep {
	case Webhook:
		sent.Key = q.Get("key")
		if !slices.Contains(s.Opts.WebhookKeys, sent.Key) {
			return sent, 93000, "invalid webhook url, hint: [fake]"
		}
	case AIBotResponse:
		code := q.Get("response_code")
		s.mu.Lock()
		ok := s.codes[code]
		delete(s.codes, code) // one call per response_url
		s.mu.Unlock()
		if !ok {
			return sent, 40058, "invalid or used response_code"
		}
	default:
		sent.AccessToken = q.Get("access_token")
		if code, msg := s.tokenCode(sent.AccessToken); code != 0 {
			return sent, code, msg
		}
	}
	var m wireMsg
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil || !utf8.Valid(body) {
		s.violation("%s body is not the expected JSON: %v: %s", ep, err, body)
		return sent, 40058, "invalid json"
	}
	sent.MsgType, sent.ChatID, sent.ToUser = m.MsgType, m.ChatID, m.ToUser
	var part *wireText
	switch m.MsgType {
	case "text":
		part = m.Text
	case "markdown":
		part = m.Markdown
	case "markdown_v2":
		part = m.MDv2
	}
	max, ok := limits[ep][m.MsgType]
	if !ok || part == nil {
		s.violation("%s msgtype %q without its body", ep, m.MsgType)
		return sent, 40008, "invalid message type"
	}
	sent.Content, sent.MentionedList, sent.MentionedMobileList = part.Content, part.MentionedList, part.MentionedMobileList
	if part.Content == "" {
		s.violation("%s empty content", ep)
		return sent, 44004, "empty content"
	}
	if len(part.Content) > max {
		s.violation("%s %s content of %d bytes > %d", ep, m.MsgType, len(part.Content), max)
		return sent, 45002, "content size out of limit"
	}
	if m.MsgType != "text" && (part.MentionedList != nil || part.MentionedMobileList != nil) {
		s.violation("%s mentioned lists only exist on text messages", ep)
	}
	switch ep {
	case AppChatSend:
		if !chatIDRe.MatchString(m.ChatID) {
			s.violation("appchat chatid %q", m.ChatID)
			return sent, 86003, "invalid chatid"
		}
	case MessageSend:
		if m.ToUser == "" {
			s.violation("message/send without touser")
			return sent, 40031, "invalid user list"
		}
		var id int64
		if err := json.Unmarshal(m.AgentID, &id); err != nil {
			s.violation("message/send agentid %s must be an integer", m.AgentID)
			return sent, 40056, "invalid agentid"
		}
		if sent.AgentID = id; id != s.Opts.AgentID {
			return sent, 40056, "invalid agentid"
		}
	}
	return sent, 0, ""
}
