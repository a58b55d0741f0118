package wecom

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"duban/bot"
	"duban/handlers"
)

// CallbackConfig configures the self-built app callback (PROTOCOLS §1).
// The zero value of every optional field is usable.
type CallbackConfig struct {
	CorpID         string // the receive id every ciphertext must carry
	Token          Secret // 接收消息 → Token
	EncodingAESKey Secret // 接收消息 → EncodingAESKey, 43 characters
	// Deadline is how long the passive reply waits for the answer before
	// the callback returns an empty 200 and Async delivers it. Default 4 s
	// (WeCom gives up after 5 s).
	Deadline time.Duration
	// Async delivers answers that missed Deadline or do not fit one
	// passive reply (usually an *App: message/send). Nil: they are logged
	// and dropped.
	Async UserSender
	// AsyncTimeout bounds a late answer and its delivery. Default 2 min.
	AsyncTimeout time.Duration
	MaxBodyBytes int64         // default 64 KiB; larger bodies get 413
	MaxSkew      time.Duration // timestamp window, default 10 min; negative: off
	Now          func() time.Time
	Rand         io.Reader // reply randomness, default crypto/rand
	Logger       *slog.Logger
	// Replay remembers each accepted (timestamp, nonce, msg_signature) in
	// the shared store while the timestamp is in the window, so a captured
	// request is answered once. Default: nil, no check (`duban serve` sets it).
	Replay *bot.ReplayGuard
}

// A UserSender delivers a reply to one WeCom user outside the callback's
// HTTP response. *App implements it with message/send.
type UserSender interface {
	SendToUser(ctx context.Context, userID string, r handlers.Reply) error
}

// A Callback is the http.Handler for a self-built app's 接收消息 URL: GET
// verifies the URL, POST receives encrypted XML messages and answers text
// messages through the HandlerFunc.
type Callback struct {
	in     *inbound
	corpID string
	async  UserSender
	h      bot.HandlerFunc
	wg     sync.WaitGroup
	cards  *appCards // template_card clicks (app_cards.go); nil: ignored
}

// NewCallback returns the app callback handler; it fails on a missing corp
// id or token and on a malformed EncodingAESKey.
func NewCallback(cfg CallbackConfig, h bot.HandlerFunc) (*Callback, error) {
	if cfg.CorpID == "" {
		return nil, errors.New("wecom: callback corp id is empty")
	}
	if h == nil {
		return nil, errors.New("wecom: callback handler is nil")
	}
	in, err := newInbound(inboundConfig{
		Token: cfg.Token, EncodingAESKey: cfg.EncodingAESKey, ReceiveID: cfg.CorpID,
		Deadline: cfg.Deadline, MaxBodyBytes: cfg.MaxBodyBytes, MaxSkew: cfg.MaxSkew,
		AsyncTimeout: cfg.AsyncTimeout, Now: cfg.Now, Rand: cfg.Rand, Logger: cfg.Logger, Replay: cfg.Replay,
	})
	if err != nil {
		return nil, err
	}
	return &Callback{in: in, corpID: cfg.CorpID, async: cfg.Async, h: h}, nil
}

// Wait blocks until every late answer has been delivered or given up; call
// it on shutdown after the HTTP server has stopped.
func (c *Callback) Wait() { c.wg.Wait() }

// ServeHTTP implements http.Handler.
func (c *Callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		c.verifyURL(w, r)
	case http.MethodPost:
		c.receive(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
	}
}

// verifyURL answers the console's 保存 check with the decrypted echostr,
// byte for byte (no quotes, BOM or newline; PROTOCOLS §1.1).
func (c *Callback) verifyURL(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query() // decoded once; decoding again would break '+'
	echo := q.Get("echostr")
	if _, err := c.in.check(q, echo); err != nil {
		c.in.refuse(w, r, bot.WeComApp, err)
		return
	}
	msg, err := c.in.open(echo)
	if err != nil {
		c.in.refuse(w, r, bot.WeComApp, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(msg)
}

// envelope is the POST body: the ciphertext and routing fields (§1.4).
type envelope struct {
	XMLName    xml.Name `xml:"xml"`
	ToUserName string   `xml:"ToUserName"`
	AgentID    string   `xml:"AgentID"`
	Encrypt    string   `xml:"Encrypt"`
}

// appMessage is a decrypted message or event (§1.4). MsgId is 64-bit, so
// it stays a string.
type appMessage struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   string   `xml:"ToUserName"`
	FromUserName string   `xml:"FromUserName"`
	CreateTime   int64    `xml:"CreateTime"`
	MsgType      string   `xml:"MsgType"`
	Content      string   `xml:"Content"`
	MsgID        string   `xml:"MsgId"`
	AgentID      string   `xml:"AgentID"`
	Event        string   `xml:"Event"`
	appCardEvent          // a template_card click's fields (app_cards.go)
}

// parseAppPost reads, verifies, decrypts and parses one POST.
func (c *Callback) parseAppPost(w http.ResponseWriter, r *http.Request) (*appMessage, params, error) {
	body, err := c.in.readBody(w, r)
	if err != nil {
		return nil, params{}, err
	}
	var env envelope
	if err := xml.Unmarshal(body, &env); err != nil {
		return nil, params{}, fmt.Errorf("%w: envelope: %w", errMalformed, err)
	}
	p, err := c.in.check(r.URL.Query(), strings.TrimSpace(env.Encrypt))
	if err != nil {
		return nil, p, err
	}
	if err := c.in.fresh(r.Context(), bot.WeComApp, p); err != nil {
		return nil, p, err
	}
	plain, err := c.in.open(strings.TrimSpace(env.Encrypt))
	if err != nil {
		return nil, p, err
	}
	var m appMessage
	if err := xml.Unmarshal(plain, &m); err != nil {
		return nil, p, fmt.Errorf("%w: message: %w", errMalformed, err)
	}
	return &m, p, nil
}

// receive handles one POST: text messages go to the handler, everything
// else (events, images, …) gets the empty 200 WeCom expects.
func (c *Callback) receive(w http.ResponseWriter, r *http.Request) {
	m, p, err := c.parseAppPost(w, r)
	if err != nil {
		c.in.refuse(w, r, bot.WeComApp, err)
		return
	}
	if c.cards != nil && m.MsgType == "event" && m.Event == eventTemplateCard {
		c.cardClick(w, r, m)
		return
	}
	text := strings.TrimSpace(m.Content)
	if m.MsgType != "text" || text == "" || m.FromUserName == "" {
		w.WriteHeader(http.StatusOK)
		return
	}
	msg := &bot.Message{
		Platform: bot.WeComApp, ID: m.MsgID, ChatType: "single",
		UserID: m.FromUserName, Text: text,
	}
	c.answer(w, r, msg, p.nonce)
}

// answer runs the handler and replies passively if the answer is ready
// within the deadline and fits one message; otherwise it returns an empty
// 200 and the answer goes out through Async (PROTOCOLS §1.6).
func (c *Callback) answer(w http.ResponseWriter, r *http.Request, m *bot.Message, nonce string) {
	res, j, ok := c.in.settle(w, r, &c.wg, c.h, m, c.deliverer(m))
	if !ok {
		return
	}
	pieces := handlers.Render(res.reply, handlers.WeComText)
	if len(pieces) > 1 && c.async != nil {
		// One passive reply holds one message; send them all in order.
		done := make(chan result, 1)
		done <- res
		c.in.later(&c.wg, bot.WeComApp, m, &job{ctx: j.ctx, cancel: j.cancel, done: done}, c.deliverer(m))
		w.WriteHeader(http.StatusOK)
		return
	}
	j.cancel()
	if blank(pieces) {
		w.WriteHeader(http.StatusOK)
		return
	}
	if len(pieces) > 1 {
		c.in.log.Warn("wecom answer truncated: no async sender", "msg_id", m.ID, "pieces", len(pieces))
	}
	body, err := c.passive(m.UserID, pieces[0], nonce)
	if err != nil {
		c.in.log.Error("wecom passive reply", "msg_id", m.ID, "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write(body)
}

func (c *Callback) deliverer(m *bot.Message) func(context.Context, handlers.Reply) error {
	return func(ctx context.Context, rep handlers.Reply) error {
		if c.async == nil {
			return errors.New("wecom: answer missed the deadline and no async sender is configured")
		}
		if blank(handlers.Render(rep, handlers.WeComText)) {
			return nil
		}
		return c.async.SendToUser(ctx, m.UserID, rep)
	}
}

// cdata marshals as <![CDATA[…]]>, as WeCom's samples do.
type cdata struct {
	Value string `xml:",cdata"`
}

// passiveText is the plaintext passive reply (PROTOCOLS §1.5).
type passiveText struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   cdata    `xml:"ToUserName"`
	FromUserName cdata    `xml:"FromUserName"`
	CreateTime   int64    `xml:"CreateTime"`
	MsgType      cdata    `xml:"MsgType"`
	Content      cdata    `xml:"Content"`
}

// passiveEnvelope is the encrypted reply WeCom reads.
type passiveEnvelope struct {
	XMLName      xml.Name `xml:"xml"`
	Encrypt      cdata    `xml:"Encrypt"`
	MsgSignature cdata    `xml:"MsgSignature"`
	TimeStamp    int64    `xml:"TimeStamp"`
	Nonce        cdata    `xml:"Nonce"`
}

// passive builds the encrypted passive text reply to user.
func (c *Callback) passive(user, content, nonce string) ([]byte, error) {
	now := c.in.now().Unix()
	plain, err := xml.Marshal(passiveText{
		ToUserName: cdata{user}, FromUserName: cdata{c.corpID}, CreateTime: now,
		MsgType: cdata{"text"}, Content: cdata{content},
	})
	if err != nil {
		return nil, fmt.Errorf("wecom: marshal reply: %w", err)
	}
	enc, sig, err := c.in.sealer.seal(plain, now, nonce)
	if err != nil {
		return nil, err
	}
	out, err := xml.Marshal(passiveEnvelope{Encrypt: cdata{enc}, MsgSignature: cdata{sig}, TimeStamp: now, Nonce: cdata{nonce}})
	if err != nil {
		return nil, fmt.Errorf("wecom: marshal envelope: %w", err)
	}
	return out, nil
}
