package dingtalk

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"duban/bot"
)

// A Callback is the JSON body DingTalk posts for one robot message, the
// same in HTTP and Stream mode (PROTOCOLS §4.2). Fields duban does not use
// are left out.
type Callback struct {
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
		// RepliedMsg is the message a reply quotes (PROTOCOLS §9.4).
		RepliedMsg *struct {
			Content json.RawMessage `json:"content"` // {"text":…}, or a richText list
		} `json:"repliedMsg"`
	} `json:"text"`
	Content struct {
		RichText []struct {
			Text string `json:"text"`
		} `json:"richText"`
	} `json:"content"`
	MsgID             string `json:"msgId"`
	CreateAt          int64  `json:"createAt"`
	ConversationType  string `json:"conversationType"` // "1" single, "2" group
	ConversationID    string `json:"conversationId"`
	ConversationTitle string `json:"conversationTitle"`
	SenderID          string `json:"senderId"`
	SenderStaffID     string `json:"senderStaffId"`
	SenderNick        string `json:"senderNick"`
	SenderCorpID      string `json:"senderCorpId"`
	IsInAtList        bool   `json:"isInAtList"`
	RobotCode         string `json:"robotCode"`
	ChatbotUserID     string `json:"chatbotUserId"`
	SessionWebhook    string `json:"sessionWebhook"`
	// SessionWebhookExpiredTime is in Unix milliseconds, about createAt +
	// 90 minutes in the published examples.
	SessionWebhookExpiredTime int64 `json:"sessionWebhookExpiredTime"`
}

// ErrMalformed: the body is not a robot message duban can read.
var ErrMalformed = errors.New("dingtalk: malformed callback")

// ParseCallback decodes a robot message body. It requires msgId and a
// conversationType of "1" or "2"; anything else wraps ErrMalformed.
func ParseCallback(body []byte) (*Callback, error) {
	var c Callback
	if err := json.Unmarshal(body, &c); err != nil {
		return nil, fmt.Errorf("parse callback: %w: %w", ErrMalformed, err)
	}
	if c.MsgID == "" {
		return nil, fmt.Errorf("parse callback: no msgId: %w", ErrMalformed)
	}
	if c.ConversationType != "1" && c.ConversationType != "2" {
		return nil, fmt.Errorf("parse callback: conversationType %q: %w", c.ConversationType, ErrMalformed)
	}
	return &c, nil
}

// Group reports whether the message came from a group chat.
func (c *Callback) Group() bool { return c.ConversationType == "2" }

// Question returns the text of a text or richText message with @-mentions
// removed and spaces trimmed; "" for other message types.
func (c *Callback) Question() string {
	switch c.MsgType {
	case "text", "":
		return StripMentions(c.Text.Content)
	case "richText":
		var b strings.Builder
		for _, p := range c.Content.RichText {
			b.WriteString(p.Text)
		}
		return StripMentions(b.String())
	}
	return ""
}

// Message returns the bot.Message for c, with Platform bot.DingTalk (the
// Stream mode sets its own) and ChatID empty in a single chat, as
// bot.Message documents. UserID is the staff ID, or the encrypted sender
// ID when DingTalk sends no staff ID (external users).
func (c *Callback) Message() *bot.Message {
	m := &bot.Message{
		Platform: bot.DingTalk,
		ID:       c.MsgID,
		ChatType: "single",
		UserID:   c.SenderStaffID,
		UserName: c.SenderNick,
		Text:     c.Question(),
		Quote:    c.quote(),
	}
	if m.UserID == "" {
		m.UserID = c.SenderID
	}
	if c.Group() {
		m.ChatType = "group"
		m.ChatID = c.ConversationID
	}
	return m
}

// quote returns the text of the quoted message, "" when none: its
// content is {"text":…} for text, {"richText":[{"text":…}]} otherwise, and
// a bare string in some clients' payloads.
func (c *Callback) quote() string {
	if c.Text.RepliedMsg == nil || len(c.Text.RepliedMsg.Content) == 0 {
		return ""
	}
	raw := c.Text.RepliedMsg.Content
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		Text     string `json:"text"`
		RichText []struct {
			Text string `json:"text"`
		} `json:"richText"`
	}
	if json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(obj.Text)
	for _, p := range obj.RichText {
		b.WriteString(p.Text)
	}
	return b.String()
}

// SessionValid reports whether the sessionWebhook may still be used at now.
func (c *Callback) SessionValid(now time.Time) bool {
	return c.SessionWebhook != "" && now.UnixMilli() < c.SessionWebhookExpiredTime
}

// StripMentions removes the words that start with "@" (mentions of other
// members) and collapses spaces. DingTalk already removes the robot's own
// mention but leaves its space (" 76号任务谁牵头", PROTOCOLS §4.2). A text
// that is one word is kept whole: "@张三76号任务谁牵头" has the mention glued
// to the question, and cutting it would leave nothing to answer.
func StripMentions(s string) string {
	words := strings.Fields(s)
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	kept := words[:0]
	for _, w := range words {
		if len(w) > 1 && w[0] == '@' {
			continue
		}
		kept = append(kept, w)
	}
	return strings.Join(kept, " ")
}
