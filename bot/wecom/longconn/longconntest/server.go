// Package longconntest is a loopback fake of WeCom's 智能机器人 long
// connection (PROTOCOLS §1.9, transport B) for tests: it checks the
// subscribe credentials, answers heartbeats, pushes message callbacks and
// events, and records replies and proactive pushes. It is written from the
// protocol notes alone and does not import package longconn, so a
// misreading there is not mirrored here.
package longconntest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"
)

// Credentials the fake accepts, and its error codes. 853000 is WeCom's
// code for a bad bot_id or secret (PROTOCOLS §1.9); the others are this
// fake's choices, WeCom's are not documented for the long connection.
const (
	BotID              = "aibfakebotid"
	Secret             = "fake-aibot-secret"
	CodeBadCredentials = 853000
	CodeUnknownReqID   = 846605 // respond_msg with a req_id this connection did not deliver
	CodeBadPayload     = 40058
	CodeNotSubscribed  = 846609
	// MaxContentBytes is the limit of a stream or markdown content.
	MaxContentBytes = 20480
)

// ErrNotConnected: no client is subscribed.
var ErrNotConnected = errors.New("longconntest: no subscribed client")

// A Subscribe is one aibot_subscribe the fake received.
type Subscribe struct {
	BotID string
	OK    bool
	Conn  int // 1 for the first WebSocket accepted, 2 for the next …
}

// A Reply is one accepted aibot_respond_msg.
type Reply struct {
	ReqID    string // the callback's req_id
	MsgType  string
	StreamID string
	Finish   bool
	Content  string
	Conn     int
}

// A Push is one accepted aibot_send_msg.
type Push struct {
	ChatID  string
	MsgType string
	Content string
	Conn    int
}

// A Message is what a user sends the bot; Text is text.content as WeCom
// delivers it, mention included ("@督办助手 76号任务谁牵头").
type Message struct {
	MsgID  string
	ChatID string // "" in a single chat
	UserID string
	Text   string
}

// A Server is a fake WeCom long-connection endpoint on 127.0.0.1. URL is
// its ws:// address, for longconn.Config.URL.
type Server struct {
	URL string
	srv *httptest.Server

	mu          sync.Mutex
	secret      string
	accepted    int
	cur         *conn // the subscribed connection
	subscribes  []Subscribe
	pings       int
	ignorePings bool
	replies     []Reply
	pushes      []Push
	cards       cardState        // cards.go
	failures    map[string][]int // cmd → errcodes to answer its next frames with
}

type conn struct {
	n       int
	c       *websocket.Conn
	mu      sync.Mutex
	reqIDs  map[string]bool // callbacks delivered on this connection
	events  map[string]bool // card clicks delivered on this connection, by req_id
	replied map[string]bool
}

// NewServer starts a fake that accepts BotID and Secret, and closes it
// when the test ends.
func NewServer(t testing.TB) *Server {
	s := &Server{secret: Secret, failures: map[string][]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = "ws" + strings.TrimPrefix(s.srv.URL, "http")
	t.Cleanup(func() {
		s.Drop()
		s.srv.Close()
	})
	return s
}

type inFrame struct {
	Cmd     string `json:"cmd"`
	Headers struct {
		ReqID string `json:"req_id"`
	} `json:"headers"`
	Body json.RawMessage `json:"body"`
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	s.mu.Lock()
	s.accepted++
	cn := &conn{n: s.accepted, c: c, reqIDs: map[string]bool{}, replied: map[string]bool{}, events: map[string]bool{}}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.cur == cn {
			s.cur = nil
		}
		s.mu.Unlock()
	}()
	ctx := context.Background()
	subscribed := false
	for {
		_, raw, err := c.Read(ctx)
		if err != nil {
			return
		}
		var f inFrame
		if json.Unmarshal(raw, &f) != nil {
			c.Close(websocket.StatusUnsupportedData, "not json")
			return
		}
		if !subscribed && f.Cmd != "aibot_subscribe" {
			cn.answer(f.Headers.ReqID, CodeNotSubscribed, "not subscribed")
			c.Close(websocket.StatusPolicyViolation, "subscribe first")
			return
		}
		if code, ok := s.injected(f.Cmd); ok {
			cn.answer(f.Headers.ReqID, code, "injected")
			continue
		}
		switch f.Cmd {
		case "aibot_subscribe":
			if subscribed = s.subscribe(cn, f); !subscribed {
				return
			}
		case "ping":
			s.mu.Lock()
			s.pings++
			ignore := s.ignorePings
			s.mu.Unlock()
			if !ignore {
				cn.answer(f.Headers.ReqID, 0, "ok")
			}
		case "aibot_respond_msg":
			code, msg := s.respond(cn, f)
			cn.answer(f.Headers.ReqID, code, msg)
		case "aibot_send_msg":
			code, msg := s.send(cn, f)
			cn.answer(f.Headers.ReqID, code, msg)
		case "aibot_respond_update_msg":
			code, msg := s.update(cn, f)
			cn.answer(f.Headers.ReqID, code, msg)
		default:
			cn.answer(f.Headers.ReqID, CodeBadPayload, "unsupported cmd "+f.Cmd)
		}
	}
}

func (s *Server) subscribe(cn *conn, f inFrame) bool {
	var b struct {
		BotID  string `json:"bot_id"`
		Secret string `json:"secret"`
	}
	json.Unmarshal(f.Body, &b)
	s.mu.Lock()
	ok := b.BotID == BotID && b.Secret == s.secret
	s.subscribes = append(s.subscribes, Subscribe{BotID: b.BotID, OK: ok, Conn: cn.n})
	var old *conn
	if ok {
		old, s.cur = s.cur, cn
	}
	s.mu.Unlock()
	if !ok {
		cn.answer(f.Headers.ReqID, CodeBadCredentials, "invalid bot_id or secret")
		cn.c.Close(websocket.StatusPolicyViolation, "invalid bot_id or secret")
		return false
	}
	if old != nil { // one connection per bot, as WeCom keeps
		old.c.CloseNow()
	}
	cn.answer(f.Headers.ReqID, 0, "ok")
	return true
}

func (s *Server) respond(cn *conn, f inFrame) (int, string) {
	var b struct {
		MsgType string `json:"msgtype"`
		Stream  struct {
			ID      string `json:"id"`
			Finish  bool   `json:"finish"`
			Content string `json:"content"`
		} `json:"stream"`
	}
	if json.Unmarshal(f.Body, &b) != nil {
		return CodeBadPayload, "body is not json"
	}
	cn.mu.Lock()
	known := cn.reqIDs[f.Headers.ReqID]
	finished := cn.replied[f.Headers.ReqID]
	cn.mu.Unlock()
	switch {
	case !known:
		return CodeUnknownReqID, "invalid req_id"
	case finished:
		return CodeUnknownReqID, "stream already finished"
	case b.MsgType != "stream" || b.Stream.ID == "":
		return CodeBadPayload, "want msgtype stream with stream.id"
	case !utf8.ValidString(b.Stream.Content) || len(b.Stream.Content) > MaxContentBytes:
		return CodeBadPayload, "content invalid or too long"
	}
	if b.Stream.Finish {
		cn.mu.Lock()
		cn.replied[f.Headers.ReqID] = true
		cn.mu.Unlock()
	}
	s.mu.Lock()
	s.replies = append(s.replies, Reply{ReqID: f.Headers.ReqID, MsgType: b.MsgType, StreamID: b.Stream.ID,
		Finish: b.Stream.Finish, Content: b.Stream.Content, Conn: cn.n})
	s.mu.Unlock()
	return 0, "ok"
}

func (s *Server) send(cn *conn, f inFrame) (int, string) {
	var b struct {
		ChatID   string `json:"chatid"`
		MsgType  string `json:"msgtype"`
		Markdown struct {
			Content string `json:"content"`
		} `json:"markdown"`
	}
	switch {
	case json.Unmarshal(f.Body, &b) != nil:
		return CodeBadPayload, "body is not json"
	case b.ChatID == "":
		return CodeBadPayload, "chatid missing"
	case b.MsgType == "template_card":
		return s.sendCard(cn, b.ChatID, f.Body)
	case b.MsgType != "markdown" || b.Markdown.Content == "":
		return CodeBadPayload, "want msgtype markdown with content"
	case !utf8.ValidString(b.Markdown.Content) || len(b.Markdown.Content) > MaxContentBytes:
		return CodeBadPayload, "content invalid or too long"
	}
	s.mu.Lock()
	s.pushes = append(s.pushes, Push{ChatID: b.ChatID, MsgType: b.MsgType, Content: b.Markdown.Content, Conn: cn.n})
	s.mu.Unlock()
	return 0, "ok"
}

// answer writes the reply frame WeCom sends to every client frame.
func (cn *conn) answer(reqID string, code int, msg string) error {
	return cn.write(map[string]any{"headers": map[string]string{"req_id": reqID}, "errcode": code, "errmsg": msg})
}

func (cn *conn) write(v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return cn.c.Write(ctx, websocket.MessageText, raw)
}

func (s *Server) injected(cmd string) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.failures[cmd]
	if len(q) == 0 {
		return 0, false
	}
	s.failures[cmd] = q[1:]
	return q[0], true
}

func (s *Server) current() (*conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return nil, ErrNotConnected
	}
	return s.cur, nil
}
