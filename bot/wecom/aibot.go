package wecom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"

	"duban/bot"
	"duban/handlers"
)

// AIBotConfig configures the 智能机器人 callback (PROTOCOLS §1.9). Its
// receive id is always empty.
type AIBotConfig struct {
	Token          Secret // 接收消息 → Token
	EncodingAESKey Secret // 接收消息 → EncodingAESKey, 43 characters
	// BotName, if set, removes "@BotName" anywhere in the text; otherwise
	// the leading @-mentions are removed.
	BotName string
	// Deadline for the passive stream reply; a later answer goes to the
	// message's response_url (one use, valid 1 h). Default 4 s.
	Deadline     time.Duration
	AsyncTimeout time.Duration // default 2 min
	HTTPClient   *http.Client  // for response_url; default: its own client
	MaxBodyBytes int64         // default 64 KiB
	MaxSkew      time.Duration // default 10 min; negative: off
	Now          func() time.Time
	Rand         io.Reader
	Logger       *slog.Logger
	// Replay: as CallbackConfig.Replay. Default: nil, no check.
	Replay *bot.ReplayGuard
}

// An AIBotCallback is the http.Handler for a 智能机器人's callback URL.
type AIBotCallback struct {
	in      *inbound
	botName string
	http    client
	h       bot.HandlerFunc
	wg      sync.WaitGroup
	cards   *aibotCards // template_card clicks (aibot_cards.go); nil: ignored
}

// NewAIBotCallback returns the AI-bot callback handler.
func NewAIBotCallback(cfg AIBotConfig, h bot.HandlerFunc) (*AIBotCallback, error) {
	if h == nil {
		return nil, errors.New("wecom: AI bot handler is nil")
	}
	in, err := newInbound(inboundConfig{
		Token: cfg.Token, EncodingAESKey: cfg.EncodingAESKey, ReceiveID: "",
		Deadline: cfg.Deadline, MaxBodyBytes: cfg.MaxBodyBytes, MaxSkew: cfg.MaxSkew,
		AsyncTimeout: cfg.AsyncTimeout, Now: cfg.Now, Rand: cfg.Rand, Logger: cfg.Logger, Replay: cfg.Replay,
	})
	if err != nil {
		return nil, err
	}
	// response_url is absolute; the base URL only satisfies newClient.
	hc, err := newClient(DefaultBaseURL, cfg.HTTPClient)
	if err != nil {
		return nil, err
	}
	return &AIBotCallback{in: in, botName: cfg.BotName, http: hc, h: h}, nil
}

// Wait blocks until every late answer has been delivered or given up.
func (c *AIBotCallback) Wait() { c.wg.Wait() }

// aibotMessage is a decrypted AI-bot callback (path/100719).
type aibotMessage struct {
	MsgID    string `json:"msgid"`
	AIBotID  string `json:"aibotid"`
	ChatID   string `json:"chatid"`
	ChatType string `json:"chattype"`
	From     struct {
		UserID string `json:"userid"`
	} `json:"from"`
	ResponseURL string   `json:"response_url"`
	MsgType     string   `json:"msgtype"`
	Text        textPart `json:"text"`
	Voice       textPart `json:"voice"` // speech already turned into text
	Mixed       struct {
		Items []struct {
			MsgType string   `json:"msgtype"`
			Text    textPart `json:"text"`
		} `json:"msg_item"`
	} `json:"mixed"`
	aibotCardEvent // a template_card click (aibot_cards.go)
	// Quote is the message a reply quotes (PROTOCOLS §9.4).
	Quote struct {
		Text  textPart `json:"text"`
		Mixed struct {
			Items []struct {
				Text textPart `json:"text"`
			} `json:"msg_item"`
		} `json:"mixed"`
	} `json:"quote"`
}

type textPart struct {
	Content string `json:"content"`
}

// question returns the text a message asks, "" for images, events and
// stream refreshes.
func (m *aibotMessage) question() string {
	switch m.MsgType {
	case "text":
		return m.Text.Content
	case "voice":
		return m.Voice.Content
	case "mixed":
		var parts []string
		for _, it := range m.Mixed.Items {
			if it.MsgType == "text" {
				parts = append(parts, it.Text.Content)
			}
		}
		return strings.Join(parts, "\n")
	}
	return ""
}

// quote returns the text of the quoted message, "" when none.
func (m *aibotMessage) quote() string {
	parts := []string{m.Quote.Text.Content}
	for _, it := range m.Quote.Mixed.Items {
		parts = append(parts, it.Text.Content)
	}
	return strings.TrimSpace(strings.Join(parts, "\n"))
}

// ServeHTTP implements http.Handler.
func (c *AIBotCallback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		echo := q.Get("echostr")
		if _, err := c.in.check(q, echo); err != nil {
			c.in.refuse(w, r, bot.WeComAIBot, err)
			return
		}
		msg, err := c.in.open(echo)
		if err != nil {
			c.in.refuse(w, r, bot.WeComAIBot, err)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(msg)
	case http.MethodPost:
		c.receive(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
	}
}

// parse reads, verifies, decrypts and parses one POST.
func (c *AIBotCallback) parse(w http.ResponseWriter, r *http.Request) (*aibotMessage, params, error) {
	body, err := c.in.readBody(w, r)
	if err != nil {
		return nil, params{}, err
	}
	var env struct {
		Encrypt string `json:"encrypt"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, params{}, fmt.Errorf("%w: envelope: %w", errMalformed, err)
	}
	p, err := c.in.check(r.URL.Query(), env.Encrypt)
	if err != nil {
		return nil, p, err
	}
	if err := c.in.fresh(r.Context(), bot.WeComAIBot, p); err != nil {
		return nil, p, err
	}
	plain, err := c.in.open(env.Encrypt)
	if err != nil {
		return nil, p, err
	}
	var m aibotMessage
	if err := json.Unmarshal(plain, &m); err != nil {
		return nil, p, fmt.Errorf("%w: message: %w", errMalformed, err)
	}
	return &m, p, nil
}

func (c *AIBotCallback) receive(w http.ResponseWriter, r *http.Request) {
	m, p, err := c.parse(w, r)
	if err != nil {
		c.in.refuse(w, r, bot.WeComAIBot, err)
		return
	}
	if c.cards != nil && m.MsgType == "event" && m.Event.EventType == eventTemplateCard {
		c.cardClick(w, r, m, p.nonce)
		return
	}
	text := stripMentions(m.question(), c.botName)
	if text == "" || m.From.UserID == "" {
		w.WriteHeader(http.StatusOK) // events, images, stream refreshes
		return
	}
	msg := &bot.Message{Platform: bot.WeComAIBot, ID: m.MsgID, ChatType: "single", UserID: m.From.UserID, Text: text, Quote: m.quote()}
	if m.ChatType == "group" {
		msg.ChatType, msg.ChatID = "group", m.ChatID
	}
	c.answer(w, r, msg, m.ResponseURL, p.nonce)
}

// answer replies with a finished stream when the answer is ready in time;
// otherwise it returns an empty 200 ("可以选择直接回复空包") and posts the
// answer to response_url as markdown (path/101138).
func (c *AIBotCallback) answer(w http.ResponseWriter, r *http.Request, m *bot.Message, responseURL, nonce string) {
	res, j, ok := c.in.settle(w, r, &c.wg, c.h, m, c.responder(responseURL))
	if !ok {
		return
	}
	pieces := handlers.Render(res.reply, handlers.WeComAIBot)
	if blank(pieces) {
		j.cancel()
		w.WriteHeader(http.StatusOK)
		return
	}
	if len(pieces) > 1 {
		// The stream holds one message and response_url takes one more.
		if len(pieces) > 2 {
			c.in.log.Warn("wecom AI bot answer truncated", "msg_id", m.ID, "pieces", len(pieces))
		}
		done := make(chan result, 1)
		done <- result{}
		c.in.later(&c.wg, bot.WeComAIBot, m, &job{ctx: j.ctx, cancel: j.cancel, done: done},
			func(ctx context.Context, _ handlers.Reply) error { return c.post(ctx, responseURL, pieces[1]) })
	} else {
		j.cancel()
	}
	body, err := c.stream(pieces[0], nonce)
	if err != nil {
		c.in.log.Error("wecom passive reply", "platform", bot.WeComAIBot, "msg_id", m.ID, "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}

// stripMentions removes the @bot mention WeCom leaves in text.content
// ("@RobotA hello"). With a bot name it removes "@name" anywhere; without,
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
