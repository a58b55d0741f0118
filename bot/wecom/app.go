package wecom

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"duban/bot"
	"duban/handlers"
)

// AppConfig configures a self-built app's API access (PROTOCOLS §3).
type AppConfig struct {
	CorpID     string
	AgentID    int64
	Secret     Secret       // the app's Secret (应用管理 → 应用 → Secret)
	BaseURL    string       // default https://qyapi.weixin.qq.com
	HTTPClient *http.Client // default: its own client with a 15 s timeout
	Now        func() time.Time
}

// An App calls WeCom's app APIs with a cached access_token. A token that
// WeCom calls invalid or expired (40014, 42001, 41001) is refreshed and the
// call retried once. Share one App between the senders of one app so they
// share the token.
type App struct {
	c       client
	agentID int64
	tokens  *tokenCache
}

// NewApp returns an API client for one app.
func NewApp(cfg AppConfig) (*App, error) {
	if cfg.CorpID == "" || cfg.Secret == "" {
		return nil, errors.New("wecom: app needs corp id and secret")
	}
	c, err := newClient(cfg.BaseURL, cfg.HTTPClient, string(cfg.Secret))
	if err != nil {
		return nil, err
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &App{c: c, agentID: cfg.AgentID, tokens: newTokenCache(c, cfg.CorpID, string(cfg.Secret), now)}, nil
}

// call POSTs body to an access_token API, refreshing the token once.
func (a *App) call(ctx context.Context, op, path string, body any, out statusHolder) error {
	for attempt := 0; ; attempt++ {
		tok, err := a.tokens.get(ctx)
		if err != nil {
			return err
		}
		err = a.c.do(ctx, op, a.c.base+path+"?access_token="+url.QueryEscape(tok), body, out)
		var ae *APIError
		if attempt == 0 && errors.As(err, &ae) && ae.tokenExpired() {
			a.tokens.invalidate(tok)
			continue
		}
		return err
	}
}

// ErrEmptyReply is returned by the senders for a reply with no text:
// WeCom refuses empty content (44004), and sending nothing is a caller bug.
var ErrEmptyReply = errors.New("wecom: empty reply")

// sendPieces sends each rendered piece with send, in order.
func sendPieces(ctx context.Context, what string, pieces []string, send func(context.Context, string) error) error {
	if blank(pieces) {
		return fmt.Errorf("wecom %s: %w", what, ErrEmptyReply)
	}
	for i, p := range pieces {
		if err := send(ctx, p); err != nil {
			return fmt.Errorf("wecom %s: message %d of %d: %w", what, i+1, len(pieces), err)
		}
	}
	return nil
}

type messageReply struct {
	apiStatus
	InvalidUser string `json:"invaliduser"`
}

// SendToUser sends r to one or more users ("a|b") with message/send, as
// text (markdown from an app shows only in the WeCom client). It makes
// *App the Callback's UserSender.
func (a *App) SendToUser(ctx context.Context, userIDs string, r handlers.Reply) error {
	if userIDs == "" {
		return errors.New("wecom message/send: no recipient")
	}
	return sendPieces(ctx, "message/send", handlers.Render(r, handlers.WeComText), func(ctx context.Context, p string) error {
		m := textMsg(p)
		m.ToUser, m.AgentID = userIDs, a.agentID
		var res messageReply
		if err := a.call(ctx, "message/send", "/cgi-bin/message/send", m, &res); err != nil {
			return err
		}
		if res.InvalidUser != "" && !strings.Contains(userIDs, "|") {
			// Delivered to no one: errcode 0 but the only user is invalid.
			return &APIError{Op: "message/send", Status: 200, Code: 81013, Msg: "invalid user " + res.InvalidUser}
		}
		return nil
	})
}

// appChatMarkdown is appchat/send's markdown: 2048 bytes like its text.
var appChatMarkdown = handlers.Dialect{Name: "wecom_appchat_markdown", Markdown: true, Limit: 2000}

// An AppChat sends to one group chat the app created (appchat/send).
type AppChat struct {
	app      *App
	chatID   string
	markdown bool
}

var _ bot.Sender = (*AppChat)(nil)

// Chat returns a sender to chatID, in markdown or text.
func (a *App) Chat(chatID string, markdown bool) *AppChat {
	return &AppChat{app: a, chatID: chatID, markdown: markdown}
}

// AppChatConfig configures NewAppChat.
type AppChatConfig struct {
	AppConfig
	ChatID   string // created by this app with appchat/create
	Markdown bool   // default text
}

// NewAppChat returns an appchat sender with its own App (own token cache);
// prefer App.Chat when several chats share an app.
func NewAppChat(cfg AppChatConfig) (*AppChat, error) {
	if cfg.ChatID == "" {
		return nil, errors.New("wecom: appchat needs a chat id")
	}
	a, err := NewApp(cfg.AppConfig)
	if err != nil {
		return nil, err
	}
	return a.Chat(cfg.ChatID, cfg.Markdown), nil
}

// Parts implements bot.PartCounter: the messages Send posts for r.
func (s *AppChat) Parts(r handlers.Reply) int {
	d, _ := s.dialect()
	return len(handlers.Render(r, d))
}

func (s *AppChat) dialect() (handlers.Dialect, func(string) *outMsg) {
	if s.markdown {
		return appChatMarkdown, markdownMsg
	}
	return handlers.WeComText, textMsg
}

// Send implements bot.Sender.
func (s *AppChat) Send(ctx context.Context, r handlers.Reply) error {
	d, mk := s.dialect()
	return sendPieces(ctx, "appchat/send", handlers.Render(r, d), func(ctx context.Context, p string) error {
		m := mk(p)
		m.ChatID = s.chatID
		return s.app.call(ctx, "appchat/send", "/cgi-bin/appchat/send", m, &apiStatus{})
	})
}

// An AppMessage sends to fixed users through the app (message/send).
type AppMessage struct {
	app   *App
	users string
}

var _ bot.Sender = (*AppMessage)(nil)

// Users returns a sender to the given user IDs.
func (a *App) Users(userIDs ...string) *AppMessage {
	return &AppMessage{app: a, users: strings.Join(userIDs, "|")}
}

// AppMessageConfig configures NewAppMessage.
type AppMessageConfig struct {
	AppConfig
	ToUser []string // user IDs for Send; SendToUser takes its own
}

// NewAppMessage returns a message/send sender with its own App.
func NewAppMessage(cfg AppMessageConfig) (*AppMessage, error) {
	a, err := NewApp(cfg.AppConfig)
	if err != nil {
		return nil, err
	}
	return a.Users(cfg.ToUser...), nil
}

// Parts implements bot.PartCounter: the messages Send posts for r.
func (s *AppMessage) Parts(r handlers.Reply) int { return len(handlers.Render(r, handlers.WeComText)) }

// Send implements bot.Sender.
func (s *AppMessage) Send(ctx context.Context, r handlers.Reply) error {
	return s.app.SendToUser(ctx, s.users, r)
}

// SendToUser sends to userID instead of the configured users, so an
// AppMessage can serve as the Callback's UserSender.
func (s *AppMessage) SendToUser(ctx context.Context, userID string, r handlers.Reply) error {
	return s.app.SendToUser(ctx, userID, r)
}
