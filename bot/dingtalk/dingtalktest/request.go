// Package dingtalktest is a loopback fake of DingTalk for tests: it builds
// robot callbacks signed exactly as DingTalk signs them, and serves the
// custom-robot webhook and sessionWebhook endpoints, checking signatures
// and payloads and recording what arrived.
//
// It implements the platform side from the standard library alone and does
// not import package dingtalk, so a bug in duban's signer cannot be
// mirrored here. Protocol sources: ../shared/PROTOCOLS.md §4, §5, §7.4.
package dingtalktest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// Sign returns Base64(HmacSHA256(key=secret, timestamp+"\n"+secret)), the
// value of a robot callback's sign header and, URL-encoded, of a custom
// robot's sign parameter.
func Sign(timestamp, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// SignedRequest returns a POST of body to target with the timestamp (ms)
// and sign headers DingTalk adds to an HTTP-mode robot callback at now.
// The request works with a handler's ServeHTTP and with http.Client.Do.
func SignedRequest(target, appSecret string, now time.Time, body []byte) *http.Request {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		panic("dingtalktest: SignedRequest: " + err.Error())
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("timestamp", ts)
	req.Header.Set("sign", Sign(ts, appSecret))
	return req
}

// A Message is one robot message as a user sends it; JSON renders the body
// DingTalk posts for it (PROTOCOLS §4.2).
type Message struct {
	MsgID          string
	Text           string // what follows the robot's @; DingTalk strips the @ but keeps the space
	Group          bool
	AtRobot        bool // isInAtList; DingTalk delivers group messages only when true
	ConversationID string
	SenderStaffID  string
	SenderNick     string
	RobotCode      string
	SessionWebhook string
	CreateAt       time.Time
	SessionExpires time.Time // zero: CreateAt + 90 minutes, as observed
}

// JSON returns the callback body for m, with DingTalk's field names and
// types (conversationType is a string, times are Unix milliseconds).
func (m Message) JSON() []byte {
	create := m.CreateAt
	if create.IsZero() {
		create = time.Now()
	}
	expires := m.SessionExpires
	if expires.IsZero() {
		expires = create.Add(90 * time.Minute)
	}
	ctype, content := "1", m.Text
	if m.Group {
		ctype, content = "2", " "+m.Text
	}
	body := map[string]any{
		"msgtype":                   "text",
		"text":                      map[string]string{"content": content},
		"msgId":                     m.MsgID,
		"createAt":                  create.UnixMilli(),
		"conversationType":          ctype,
		"conversationId":            m.ConversationID,
		"senderId":                  "$:LWCP_v1:$" + m.SenderStaffID,
		"senderStaffId":             m.SenderStaffID,
		"senderNick":                m.SenderNick,
		"senderCorpId":              "dingfake",
		"chatbotCorpId":             "dingfake",
		"chatbotUserId":             "$:LWCP_v1:$robot",
		"isAdmin":                   false,
		"isInAtList":                m.AtRobot,
		"robotCode":                 m.RobotCode,
		"sessionWebhook":            m.SessionWebhook,
		"sessionWebhookExpiredTime": expires.UnixMilli(),
	}
	if m.Group {
		body["conversationTitle"] = "测试群"
	}
	b, err := json.Marshal(body)
	if err != nil {
		panic("dingtalktest: Message.JSON: " + err.Error())
	}
	return b
}
