package longconn

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"duban/bot"
)

// Every frame of the 智能机器人 long connection is handled in this file.
//
// Sources (PROTOCOLS §1.9 transport B; the official page path/101463 was
// read only through third-party code): the frame shapes below follow the
// official npm SDK @wecom/aibot-node-sdk as bundled in third-party
// projects, cross-checked with independent Go, Rust and Java clients. No
// official Go SDK exists. Frames are plain JSON text messages; nothing is
// encrypted (UNVERIFIED against the official page, but every client read
// sends and receives plaintext).
//
//	client → server  {"cmd":"aibot_subscribe","headers":{"req_id":"…"},"body":{"bot_id":"…","secret":"…"}}
//	client → server  {"cmd":"ping","headers":{"req_id":"…"}}
//	server → client  {"headers":{"req_id":"<same>"},"errcode":0,"errmsg":"ok"}      (answer to any client frame)
//	server → client  {"cmd":"aibot_msg_callback","headers":{"req_id":"…"},"body":{msgid,chatid,chattype,from,msgtype,text…}}
//	server → client  {"cmd":"aibot_event_callback","headers":{"req_id":"…"},"body":{…,"event":{"eventtype":"…"}}}
//	client → server  {"cmd":"aibot_respond_msg","headers":{"req_id":"<callback's>"},"body":{"msgtype":"stream","stream":{…}}}
//	client → server  {"cmd":"aibot_send_msg","headers":{"req_id":"…"},"body":{"chatid":"…","msgtype":"markdown","markdown":{"content":"…"}}}

// Commands.
const (
	cmdSubscribe     = "aibot_subscribe"
	cmdPing          = "ping"
	cmdMsgCallback   = "aibot_msg_callback"
	cmdEventCallback = "aibot_event_callback"
	cmdRespond       = "aibot_respond_msg"
	cmdSend          = "aibot_send_msg"
)

// eventReplaced is the event WeCom sends before it closes a connection
// because another one subscribed with the same bot: one connection per bot.
const eventReplaced = "disconnected_event"

// CodeBadCredentials is the errcode of a subscribe with a wrong bot_id or
// secret ("853000 invalid bot_id or secret", PROTOCOLS §1.9).
const CodeBadCredentials = 853000

// maxContentBytes is the limit of a stream or markdown content (20480
// bytes, PROTOCOLS §1.9); handlers.WeComAIBot renders within it.
const maxContentBytes = 20480

// A frame is every message on the socket, either way. Answers carry no
// cmd, only the req_id of the frame they answer and errcode/errmsg.
type frame struct {
	Cmd     string          `json:"cmd,omitempty"`
	Headers frameHeaders    `json:"headers"`
	Body    json.RawMessage `json:"body,omitempty"`
	ErrCode *int            `json:"errcode,omitempty"`
	ErrMsg  string          `json:"errmsg,omitempty"`
}

type frameHeaders struct {
	ReqID string `json:"req_id"`
}

// encodeFrame builds a client frame.
func encodeFrame(cmd, reqID string, body any) ([]byte, error) {
	f := struct {
		Cmd     string       `json:"cmd"`
		Headers frameHeaders `json:"headers"`
		Body    any          `json:"body,omitempty"`
	}{cmd, frameHeaders{reqID}, body}
	b, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("encode %s frame: %w", cmd, err)
	}
	return b, nil
}

// decodeFrame parses a server frame. The official SDK deletes ASCII
// control characters (other than TAB and LF) before parsing, which
// suggests the server may send them raw inside strings, where JSON forbids
// them; so does this.
func decodeFrame(raw []byte) (*frame, error) {
	clean := strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' {
			return -1
		}
		return r
	}, string(raw))
	var f frame
	if err := json.Unmarshal([]byte(clean), &f); err != nil {
		return nil, fmt.Errorf("decode frame: %w", err)
	}
	return &f, nil
}

// newReqID returns a request ID the way the official SDK makes them:
// prefix_unixms_random. WeCom only echoes it back.
func newReqID(prefix string) string {
	b := make([]byte, 4)
	rand.Read(b)
	return prefix + "_" + strconv.FormatInt(time.Now().UnixMilli(), 10) + "_" + hex.EncodeToString(b)
}

type subscribeBody struct {
	BotID  string `json:"bot_id"`
	Secret string `json:"secret"`
}

// callbackBody is the body of aibot_msg_callback and aibot_event_callback:
// the same JSON as the HTTP callback's decrypted message (path/100719),
// without response_url, which the long connection replaces with req_id.
type callbackBody struct {
	MsgID    string `json:"msgid"`
	AIBotID  string `json:"aibotid"`
	ChatID   string `json:"chatid"`
	ChatType string `json:"chattype"` // "single" or "group"
	From     struct {
		UserID string `json:"userid"`
	} `json:"from"`
	MsgType string      `json:"msgtype"`
	Text    contentPart `json:"text"`
	Voice   contentPart `json:"voice"` // speech already turned into text
	Mixed   struct {
		Items []struct {
			MsgType string      `json:"msgtype"`
			Text    contentPart `json:"text"`
		} `json:"msg_item"`
	} `json:"mixed"`
	Event struct {
		EventType string `json:"eventtype"`
	} `json:"event"`
	// Quote is the message a reply quotes (PROTOCOLS §9.4).
	Quote struct {
		Text  contentPart `json:"text"`
		Mixed struct {
			Items []struct {
				Text contentPart `json:"text"`
			} `json:"msg_item"`
		} `json:"mixed"`
	} `json:"quote"`
}

type contentPart struct {
	Content string `json:"content"`
}

// question returns the text asked, with the leading @-mentions removed
// ("@RobotA 76号任务谁牵头"); "" for images, files and events.
func (b *callbackBody) question(botName string) string {
	var s string
	switch b.MsgType {
	case "text":
		s = b.Text.Content
	case "voice":
		s = b.Voice.Content
	case "mixed":
		var parts []string
		for _, it := range b.Mixed.Items {
			if it.MsgType == "text" {
				parts = append(parts, it.Text.Content)
			}
		}
		s = strings.Join(parts, "\n")
	}
	return stripMentions(s, botName)
}

// quote returns the text of the quoted message, "" when none.
func (b *callbackBody) quote() string {
	parts := []string{b.Quote.Text.Content}
	for _, it := range b.Quote.Mixed.Items {
		parts = append(parts, it.Text.Content)
	}
	return strings.TrimSpace(strings.Join(parts, "\n"))
}

// stripMentions removes "@botName" anywhere when the name is known, and
// every leading "@word" (WeCom ends a mention with U+2005 or a space).
func stripMentions(s, botName string) string {
	if botName != "" {
		s = strings.ReplaceAll(s, "@"+botName, " ")
	}
	for {
		s = strings.TrimSpace(s)
		if !strings.HasPrefix(s, "@") {
			return s
		}
		i := strings.IndexFunc(s, unicode.IsSpace)
		if i < 0 {
			return ""
		}
		s = s[i:]
	}
}

// message returns the bot.Message for a callback; ChatID is empty in a
// single chat, as bot.Message documents.
func (b *callbackBody) message(botName string) *bot.Message {
	m := &bot.Message{
		Platform: bot.WeComAIBot,
		ID:       b.MsgID,
		ChatType: "single",
		UserID:   b.From.UserID,
		Text:     b.question(botName),
		Quote:    b.quote(),
	}
	if b.ChatType == "group" {
		m.ChatType, m.ChatID = "group", b.ChatID
	}
	return m
}

// pushTarget is where aibot_send_msg reaches the chat a callback came
// from: the group's chatid, or in a single chat the user's userid (the
// official SDK: "单聊填用户的 userid，群聊填对应群聊的 chatid").
func (b *callbackBody) pushTarget() string {
	if b.ChatType == "group" {
		return b.ChatID
	}
	return b.From.UserID
}

// streamBody answers a callback in one piece: a stream message finished
// at once. Its content is markdown. Whether aibot_respond_msg also takes
// msgtype "markdown" is not documented in what was read, so the documented
// stream form is used.
type streamBody struct {
	MsgType string `json:"msgtype"` // "stream"
	Stream  struct {
		ID      string `json:"id"`
		Finish  bool   `json:"finish"`
		Content string `json:"content"`
	} `json:"stream"`
}

func newStreamBody(id, content string) streamBody {
	var b streamBody
	b.MsgType = "stream"
	b.Stream.ID, b.Stream.Finish, b.Stream.Content = id, true, content
	return b
}

// markdownBody is a proactive aibot_send_msg message.
type markdownBody struct {
	ChatID   string `json:"chatid"`
	MsgType  string `json:"msgtype"` // "markdown"
	Markdown struct {
		Content string `json:"content"`
	} `json:"markdown"`
}

func newMarkdownBody(chatID, content string) markdownBody {
	b := markdownBody{ChatID: chatID, MsgType: "markdown"}
	b.Markdown.Content = content
	return b
}
