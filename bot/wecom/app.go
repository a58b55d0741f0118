package wecom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/outbound"
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
	return sendAll(ctx, "message/send", a.Users(userIDs), r)
}

// appChatMarkdown is appchat/send's markdown: 2048 bytes like its text.
var appChatMarkdown = handlers.Dialect{Name: "wecom_appchat_markdown", Markdown: true, Limit: 2000}

// An AppChat sends to one group chat the app created (appchat/send).
type AppChat struct {
	AppChatFormat
	app    *App
	chatID string
}

var (
	_ bot.Sender      = (*AppChat)(nil)
	_ outbound.Sender = (*AppChat)(nil)
)

// Chat returns a sender to chatID, in markdown or text.
func (a *App) Chat(chatID string, markdown bool) *AppChat {
	return &AppChat{AppChatFormat: AppChatFormat{Markdown: markdown}, app: a, chatID: chatID}
}

// AppChatConfig configures NewAppChat.
type AppChatConfig struct {
	AppConfig
	ChatID   string // created by this app with appchat/create
	Markdown bool   // default text
}

// Validate reports what an appchat chat lacks, each line naming its YAML
// key relative to the chat entry, or saying what the chat needs: the one
// check of a wecom_appchat chat, for config loading and for NewAppChat.
func (c AppChatConfig) Validate() error {
	var errs []error
	if c.ChatID == "" {
		errs = append(errs, errors.New("chat_id: missing"))
	}
	if c.CorpID == "" || c.Secret == "" {
		errs = append(errs, errors.New("wecom_appchat needs wecom.corp_id and wecom.app.secret"))
	}
	return errors.Join(errs...)
}

// AIBotChatConfig is a reminder chat of type wecom_aibot: a group that has
// the 智能机器人, reached through its long connection.
type AIBotChatConfig struct {
	ChatID string // the group's chatid
	BotID  string // wecom.aibot.long_connection.bot_id; empty: no long connection
}

// Validate reports what a wecom_aibot chat lacks, as AppChatConfig.Validate.
func (c AIBotChatConfig) Validate() error {
	var errs []error
	if c.ChatID == "" {
		errs = append(errs, errors.New("chat_id: missing"))
	}
	if c.BotID == "" {
		errs = append(errs, errors.New("wecom_aibot chats need wecom.aibot.long_connection"))
	}
	return errors.Join(errs...)
}

// NewAppChat returns an appchat sender with its own App (own token cache);
// prefer App.Chat when several chats share an app.
func NewAppChat(cfg AppChatConfig) (*AppChat, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("wecom appchat: %w", err)
	}
	a, err := NewApp(cfg.AppConfig)
	if err != nil {
		return nil, err
	}
	return a.Chat(cfg.ChatID, cfg.Markdown), nil
}

// AppChatFormat renders replies as appchat/send posts them, in markdown
// or text; it needs no credentials, so a dry run shows what a run sends.
type AppChatFormat struct {
	Markdown bool
}

// Render implements outbound.Renderer.
func (f AppChatFormat) Render(r handlers.Reply) []outbound.Message { return f.render(r, "") }

// Limit implements outbound.Renderer: appchat/send takes 2048 bytes in
// either format.
func (f AppChatFormat) Limit(handlers.Reply) int { return f.dialect().Limit }

func (f AppChatFormat) dialect() handlers.Dialect {
	if f.Markdown {
		return appChatMarkdown
	}
	return handlers.WeComText
}

func (f AppChatFormat) render(r handlers.Reply, chatID string) []outbound.Message {
	mk := textMsg
	if f.Markdown {
		mk = markdownMsg
	}
	return rendered(handlers.Render(r, f.dialect()), mk, func(_ int, m *outMsg) { m.ChatID = chatID })
}

// Render implements outbound.Renderer, addressed to the chat.
func (s *AppChat) Render(r handlers.Reply) []outbound.Message {
	return s.AppChatFormat.render(r, s.chatID)
}

// Send implements bot.Sender.
func (s *AppChat) Send(ctx context.Context, r handlers.Reply) error {
	return sendAll(ctx, "appchat/send", s, r)
}

// Post implements outbound.Sender: one appchat/send.
func (s *AppChat) Post(ctx context.Context, m outbound.Message) error {
	return s.app.call(ctx, "appchat/send", "/cgi-bin/appchat/send", json.RawMessage(m.Body), &apiStatus{})
}

// An AppMessage sends to fixed users through the app (message/send).
type AppMessage struct {
	app   *App
	users string
}

var (
	_ bot.Sender      = (*AppMessage)(nil)
	_ outbound.Sender = (*AppMessage)(nil)
)

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

// Render implements outbound.Renderer: text, addressed to the users.
func (s *AppMessage) Render(r handlers.Reply) []outbound.Message {
	return rendered(handlers.Render(r, handlers.WeComText), textMsg, func(_ int, m *outMsg) {
		m.ToUser, m.AgentID = s.users, s.app.agentID
	})
}

// Limit implements outbound.Renderer.
func (s *AppMessage) Limit(handlers.Reply) int { return handlers.WeComText.Limit }

// Post implements outbound.Sender: one message/send. WeCom answers
// errcode 0 with the only user invalid when it delivered to no one; that
// is an error here.
func (s *AppMessage) Post(ctx context.Context, m outbound.Message) error {
	var res messageReply
	if err := s.app.call(ctx, "message/send", "/cgi-bin/message/send", json.RawMessage(m.Body), &res); err != nil {
		return err
	}
	if res.InvalidUser != "" && !strings.Contains(s.users, "|") {
		return &APIError{Op: "message/send", Status: 200, Code: 81013, Msg: "invalid user " + res.InvalidUser}
	}
	return nil
}

// Send implements bot.Sender.
func (s *AppMessage) Send(ctx context.Context, r handlers.Reply) error {
	return sendAll(ctx, "message/send", s, r)
}

// SendToUser sends to userID instead of the configured users, so an
// AppMessage can serve as the Callback's UserSender.
func (s *AppMessage) SendToUser(ctx context.Context, userID string, r handlers.Reply) error {
	return s.app.SendToUser(ctx, userID, r)
}
