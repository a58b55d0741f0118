package dingtalk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"duban/handlers"
)

// DefaultTimeout bounds one POST to DingTalk. The official SDK's replier
// uses a fixed 5 s (PROTOCOLS §4.3).
const DefaultTimeout = 5 * time.Second

// maxResponseBytes caps what is read of DingTalk's answer, which is a
// small {"errcode":0,"errmsg":"ok"}.
const maxResponseBytes = 64 << 10

// titleRunes caps the markdown title, which DingTalk shows in the chat list
// and notifications (one short line).
const titleRunes = 30

// defaultTitle is the markdown title when a reply has no head line.
const defaultTitle = "督办助手"

// A payload is a robot message: the custom robot (§5), the sessionWebhook
// (§4.3) and the callback response body all take this JSON.
type payload struct {
	MsgType  string    `json:"msgtype"`
	Markdown *markdown `json:"markdown,omitempty"`
	At       *at       `json:"at,omitempty"`
}

type markdown struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

type at struct {
	AtMobiles []string `json:"atMobiles,omitempty"`
	AtUserIDs []string `json:"atUserIds,omitempty"`
	IsAtAll   bool     `json:"isAtAll"`
}

// newHTTPClient returns c, or a client with DefaultTimeout when c is nil
// (never http.DefaultClient, which has no timeout).
func newHTTPClient(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: DefaultTimeout}
}

// title returns the markdown title for r: its head, shortened, or fallback.
func title(r handlers.Reply, fallback string) string {
	t := strings.TrimSpace(r.Head)
	if i := strings.IndexByte(t, '\n'); i >= 0 {
		t = t[:i]
	}
	if t == "" {
		if fallback != "" {
			return fallback
		}
		return defaultTitle
	}
	if utf8.RuneCountInString(t) > titleRunes {
		t = string([]rune(t)[:titleRunes-1]) + "…"
	}
	return t
}

// markdownPayloads renders r in dialect d (handlers.DingTalkMarkdown, or
// it with a smaller limit), one payload per piece within the size limit.
func markdownPayloads(r handlers.Reply, d handlers.Dialect, fallbackTitle string) []payload {
	t := title(r, fallbackTitle)
	pieces := handlers.Render(r, d)
	out := make([]payload, len(pieces))
	for i, p := range pieces {
		out[i] = payload{MsgType: "markdown", Markdown: &markdown{Title: t, Text: p}}
	}
	return out
}

// endpoint returns u without its query, for error text: the query holds
// the access token, the signature or the session key.
func endpoint(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable url)"
	}
	return p.Scheme + "://" + p.Host + p.Path
}

// post sends one payload to target and turns DingTalk's answer into an
// error: *APIError for a refusal, *TransportError when there was no usable
// answer. Error text never contains target's query.
func post(ctx context.Context, c *http.Client, op, target string, p payload) error {
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("dingtalk: %s: encode: %w", op, err)
	}
	return postBody(ctx, c, op, target, body)
}

// postBody is post of a payload already encoded (a rendered message).
func postBody(ctx context.Context, c *http.Client, op, target string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return &TransportError{Op: op, Endpoint: endpoint(target), Err: redactURLError(err)}
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := c.Do(req)
	if err != nil {
		return &TransportError{Op: op, Endpoint: endpoint(target), Err: redactURLError(err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return &TransportError{Op: op, Endpoint: endpoint(target), Err: fmt.Errorf("read answer: %w", err)}
	}
	var ans struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	jsonErr := json.Unmarshal(raw, &ans)
	if resp.StatusCode != http.StatusOK {
		e := &APIError{Op: op, Status: resp.StatusCode, Msg: http.StatusText(resp.StatusCode)}
		if jsonErr == nil && ans.ErrCode != nil {
			e.Code, e.Msg = *ans.ErrCode, ans.ErrMsg
		}
		return e
	}
	if jsonErr != nil || ans.ErrCode == nil {
		return &TransportError{Op: op, Endpoint: endpoint(target), Err: fmt.Errorf("answer is not {errcode, errmsg} JSON")}
	}
	if *ans.ErrCode != 0 {
		return &APIError{Op: op, Status: resp.StatusCode, Code: *ans.ErrCode, Msg: ans.ErrMsg}
	}
	return nil
}

// redactURLError drops the *url.Error wrapper, whose text repeats the full
// URL with its token, keeping the cause (timeouts stay errors.Is-able).
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
