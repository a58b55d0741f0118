package dingtalktest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// read decodes the message body into a Received.
func (s *Server) read(r *http.Request, endpoint string) Received {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	rec := Received{Endpoint: endpoint, Body: body, ContentType: r.Header.Get("Content-Type")}
	var m struct {
		MsgType  string `json:"msgtype"`
		Text     struct{ Content string }
		Markdown struct{ Title, Text string }
		At       struct {
			AtMobiles []string `json:"atMobiles"`
			AtUserIDs []string `json:"atUserIds"`
			IsAtAll   bool     `json:"isAtAll"`
		}
	}
	if json.Unmarshal(body, &m) != nil {
		rec.MsgType = "(invalid json)"
		return rec
	}
	rec.MsgType, rec.AtMobiles, rec.AtUserIDs, rec.IsAtAll = m.MsgType, m.At.AtMobiles, m.At.AtUserIDs, m.At.IsAtAll
	switch m.MsgType {
	case "markdown":
		rec.Title, rec.Text = m.Markdown.Title, m.Markdown.Text
	case "text":
		rec.Text = m.Text.Content
	}
	return rec
}

// checkPayload refuses what DingTalk would not show: not UTF-8 JSON, an
// unknown msgtype, a missing title or text, a text over the limit.
func checkPayload(rec Received) (int, string) {
	switch {
	case !strings.HasPrefix(rec.ContentType, "application/json"):
		return CodeBadPayload, "content type must be application/json"
	case !utf8.Valid(rec.Body) || rec.MsgType == "(invalid json)":
		return CodeBadPayload, "缺少参数 json"
	case rec.MsgType == "markdown" && (rec.Title == "" || rec.Text == ""):
		return CodeBadPayload, "缺少参数 markdown.title/text"
	case rec.MsgType == "text" && rec.Text == "":
		return CodeBadPayload, "缺少参数 text.content"
	case rec.MsgType != "markdown" && rec.MsgType != "text":
		return CodeBadPayload, "unsupported msgtype " + rec.MsgType
	case len(rec.Text) > MaxTextBytes:
		return CodeBadPayload, "text too long"
	}
	return 0, ""
}

func answer(w http.ResponseWriter, status, code int, msg string) {
	if msg == "" {
		msg = "ok"
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errcode": code, "errmsg": msg})
}
