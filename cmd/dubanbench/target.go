package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"duban/bot/dingtalk/dingtalktest"
	"duban/bot/wecom/wecomtest"
)

// A Target builds one platform's callbacks and checks the replies.
type Target struct {
	Platform string
	// Build returns the request for question q sent as message number i
	// (unique within the run) by user.
	Build func(ctx context.Context, i int64, user, q string) (*http.Request, Checker, error)
}

// A Checker decides whether a 200 response carries a valid answer.
type Checker func(body []byte) error

// errEmpty is a 200 without an answer: the server missed its deadline,
// deduplicated the message or split the answer.
var errEmpty = errors.New("empty reply")

// runID makes message ids unique across runs: the server's dedup window
// (10 min) would drop a second run's messages otherwise.
var runID = time.Now().UnixNano()

func newTarget(platform string, o *options) (Target, error) {
	base := strings.TrimSuffix(o.url, "/")
	switch platform {
	case WeComApp:
		c := wecomtest.Crypto{Token: o.wecomToken, EncodingAESKey: o.wecomAESKey, ReceiveID: o.corpID}
		return wecomAppTarget(base+o.appPath, c, o.agentID), nil
	case WeComAIBot:
		c := wecomtest.Crypto{Token: o.aibotToken, EncodingAESKey: o.aibotAESKey}
		return aibotTarget(base+o.aibotPath, c), nil
	case DingTalk:
		return dingTalkTarget(base+o.dingPath, o.dingSecret), nil
	}
	return Target{}, fmt.Errorf("platform %q unknown", platform)
}

// nonce is fresh per request, as WeCom's are.
func nonce(i int64) string { return strconv.FormatInt(runID%1e9, 36) + "n" + strconv.FormatInt(i, 36) }

// wecomAppTarget posts encrypted XML text messages with msg_signature and
// opens the encrypted passive reply.
func wecomAppTarget(target string, c wecomtest.Crypto, agentID int64) Target {
	return Target{Platform: WeComApp, Build: func(ctx context.Context, i int64, user, q string) (*http.Request, Checker, error) {
		now := time.Now()
		// MsgId is a 64-bit number on WeCom.
		id := strconv.FormatUint(uint64(runID)+uint64(i), 10)
		n := nonce(i)
		cb, err := c.EncryptedCallback(target, now, n, agentID, wecomtest.TextMessage(c.ReceiveID, user, q, id, agentID, now))
		if err != nil {
			return nil, nil, fmt.Errorf("encrypt callback: %w", err)
		}
		req, err := cb.Request(ctx)
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Content-Type", "text/xml")
		return req, func(body []byte) error {
			if len(body) == 0 {
				return errEmpty
			}
			plain, err := c.OpenXMLReply(body, n)
			if err != nil {
				return err
			}
			if !bytes.Contains(plain, []byte("<MsgType><![CDATA[text]]></MsgType>")) || bytes.Contains(plain, []byte("<Content><![CDATA[]]></Content>")) {
				return fmt.Errorf("reply is not a text message: %.80q", plain)
			}
			return nil
		}, nil
	}}
}

// aibotTarget posts the AI bot's encrypted JSON and opens the stream reply.
func aibotTarget(target string, c wecomtest.Crypto) Target {
	return Target{Platform: WeComAIBot, Build: func(ctx context.Context, i int64, user, q string) (*http.Request, Checker, error) {
		n := nonce(i)
		id := fmt.Sprintf("bench-%x-%d", runID, i)
		// response_url is never reached: answers come back in the response.
		plain := wecomtest.AIBotText(id, "benchgroup", user, "@督办 "+q, "http://127.0.0.1:1/cgi-bin/aibot/response?id="+id)
		cb, err := c.EncryptedJSONCallback(target, time.Now(), n, plain)
		if err != nil {
			return nil, nil, fmt.Errorf("encrypt callback: %w", err)
		}
		req, err := cb.Request(ctx)
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		return req, func(body []byte) error {
			if len(body) == 0 {
				return errEmpty
			}
			plain, err := c.OpenJSONReply(body, n)
			if err != nil {
				return err
			}
			var s struct {
				MsgType string `json:"msgtype"`
				Stream  struct {
					Finish  bool   `json:"finish"`
					Content string `json:"content"`
				} `json:"stream"`
			}
			if err := json.Unmarshal(plain, &s); err != nil {
				return fmt.Errorf("stream reply: %w", err)
			}
			if s.MsgType != "stream" || !s.Stream.Finish || s.Stream.Content == "" {
				return fmt.Errorf("reply is not a finished stream: %.80q", plain)
			}
			return nil
		}, nil
	}}
}

// signedAt hands out the signing times of DingTalk callbacks: one
// millisecond each, counting up from a point in the signature's one-hour
// window picked at random per run. duban accepts a (timestamp, sign) pair
// once, and DingTalk itself never signs two callbacks of one robot in the
// same millisecond, so a load above 1,000 messages a second must not either;
// a random start keeps two bench runs against one server apart.
var signedAt atomic.Int64

func init() {
	start := time.Now().Add(-55 * time.Minute).Add(time.Duration(runID%int64(45*time.Minute/time.Millisecond)) * time.Millisecond)
	signedAt.Store(start.UnixMilli())
}

func signingTime() time.Time { return time.UnixMilli(signedAt.Add(1)) }

// dingTalkTarget posts signed robot callbacks (timestamp and sign headers)
// from a group with the robot @-mentioned, and reads the markdown reply.
func dingTalkTarget(target, secret string) Target {
	return Target{Platform: DingTalk, Build: func(ctx context.Context, i int64, user, q string) (*http.Request, Checker, error) {
		now := signingTime()
		body := dingtalktest.Message{
			MsgID: fmt.Sprintf("msgbench%x%d", runID, i), Text: q, Group: true, AtRobot: true,
			ConversationID: "cidBench==", SenderStaffID: user, SenderNick: user,
			// Under the base URL the bench config sets (127.0.0.1:1): a late
			// answer would fail to connect at once instead of leaving the host.
			SessionWebhook: "http://127.0.0.1:1/robot/sendBySession?session=bench",
			CreateAt:       now,
		}.JSON()
		req := dingtalktest.SignedRequest(target, secret, now, body).WithContext(ctx)
		return req, func(body []byte) error {
			if len(body) == 0 {
				return errEmpty
			}
			var m struct {
				MsgType  string `json:"msgtype"`
				Markdown struct{ Title, Text string }
				Text     struct{ Content string }
			}
			if err := json.Unmarshal(body, &m); err != nil {
				return fmt.Errorf("reply: %w", err)
			}
			if m.Markdown.Text == "" && m.Text.Content == "" {
				return fmt.Errorf("reply has no text: %.80q", body)
			}
			return nil
		}, nil
	}}
}
