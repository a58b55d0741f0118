// Package emulator serves duban's local web console: a chat panel that asks
// the bot a question as a member of a chosen group on WeCom or DingTalk and
// shows the reply as that platform renders its markdown, a reminders panel
// that shows what one scheduler run would push at a chosen moment, and a
// knowledge-base page with search. The page is plain HTML, CSS and
// JavaScript embedded in the binary: no CDN, nothing fetched from outside.
//
// # Access
//
// With no Config.Token the emulator answers only requests from a loopback
// address (127.0.0.0/8, ::1) whose Host header names a loopback host
// (localhost, 127.0.0.1, [::1]); anything else gets 403. The Host check
// stops DNS-rebinding pages in the operator's browser from reading it.
// The client is the one bot.Server resolved (bot.ClientFrom): behind a
// proxy listed in trusted_proxies, the address its forwarding headers
// name; a request that carries forwarding headers from a proxy not listed
// is never local, since nginx on the same host, with its default Host
// header, would otherwise pass any browser on the internet as loopback.
//
// With a Token every request must carry it, as the query parameter
// ?token=… or the header X-Duban-Token. A valid ?token= also sets an
// HttpOnly, SameSite=Strict cookie so the page's own assets and API calls
// pass; open http://HOST:8080/?token=… once. A missing or wrong token gets
// 401. Use a long random token: the emulator shows the whole knowledge base.
package emulator

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"duban/bot"
	"duban/handlers"
)

// Config configures the emulator. Handler is required; every other field
// is optional and its feature is hidden in the page when unset.
type Config struct {
	// Handler answers the chat panel's questions: the same chain the
	// platforms use, given Messages with Platform bot.Emulator.
	Handler bot.HandlerFunc
	// Chats are the group chats a question can be asked from
	// (the config's chats). Default: none, a 1:1 chat only.
	Chats []Chat
	// Remind returns the digests one scheduler run at now would push,
	// sending nothing (`duban remind --dry-run`). Default: no reminders panel.
	Remind func(ctx context.Context, now time.Time) ([]Digest, error)
	// KBSummary describes the loaded knowledge base. It is called on every
	// visit of the page, so a reload shows at once. Default: no KB page.
	KBSummary func() KBSummary
	// Cards decides the reminders panel's card buttons (已完成, 申请延期,
	// 通过, 退回 …) as the platforms' click events are decided: the same
	// bot.CardActor. Default: digests show no buttons.
	Cards bot.CardActor
	// Token, when set, is required on every request and lifts the
	// loopback-only restriction (see the package doc). Default: "".
	Token string
	// Now is the clock for the reminders panel's default moment.
	// Default: time.Now.
	Now func() time.Time
	// Logger logs failed requests; never question text. Default: discard.
	Logger *slog.Logger
}

// A Chat is one group chat the emulator can ask from.
type Chat struct {
	Name  string   `json:"name"`            // the config's chats[].name
	Units []string `json:"units,omitempty"` // units whose chat it is
	// ID is Message.ChatID for questions from this chat, e.g. its first
	// conversation_ids entry, so per-chat rules apply. Default: Name.
	ID string `json:"-"`
}

// A Digest is one push of a reminder run: the chat it goes to, the units
// it is for, and its text (markdown or plain; the page renders both).
type Digest struct {
	Chat  string   `json:"chat"`
	Units []string `json:"units"`
	Text  string   `json:"text"`
	// Note says what the panel should know besides the text, e.g. that no
	// chat is configured for the unit; "" for none.
	Note string `json:"note,omitempty"`
	// Tasks are the digest's one-tap actions (handlers.Reply.Tasks); with
	// Config.Cards the panel shows them as cards with buttons.
	Tasks []handlers.TaskAction `json:"-"`
	Cards []card                `json:"cards,omitempty"`
}

// KBSummary is what the knowledge-base page lists.
type KBSummary struct {
	Loaded   time.Time    `json:"loaded"`           // when the base was loaded
	Docs     []Doc        `json:"docs,omitempty"`   // documents read
	Tables   []TableCount `json:"tables"`           // record tables and their sizes
	Units    []NameCount  `json:"units"`            // units and how many tasks they lead
	Leaders  []NameCount  `json:"leaders"`          // leaders and how many tasks they lead
	Passages int          `json:"passages"`         // paragraphs in the full-text index
	Warnings []string     `json:"warnings"`         // `duban kb check` lines
	Errors   []string     `json:"errors,omitempty"` // documents that failed to (re)load
	// Check is the `duban kb check` report, section by section.
	Check []CheckSection `json:"check,omitempty"`
}

// A Doc is one document read into the knowledge base.
type Doc struct {
	File  string `json:"file"`
	Title string `json:"title"`
}

// A TableCount is one table of records and how many it holds.
type TableCount struct {
	Name  string `json:"name"`  // key_tasks
	Title string `json:"title"` // 2020年市政府重点工作任务分解表
	Count int    `json:"count"`
}

// A NameCount is a unit or a person with a count and an optional note
// (a leader's 分管 units, a unit's aliases).
type NameCount struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
	Note  string `json:"note,omitempty"`
}

//go:embed web
var web embed.FS

// New returns the emulator's handler. Mount it at "/" of the bot server:
// it serves the page at "/" and its assets and API under "/emulator/".
// It panics if cfg.Handler is nil.
func New(cfg Config) http.Handler {
	if cfg.Handler == nil {
		panic("emulator: New: nil Handler")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	e := &emulator{cfg: cfg, chats: map[string]Chat{}}
	for _, c := range cfg.Chats {
		e.chats[c.Name] = c
	}
	static, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, static, "index.html")
	})
	mux.Handle("GET /emulator/static/", http.StripPrefix("/emulator/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /emulator/api/config", e.config)
	mux.HandleFunc("POST /emulator/api/ask", e.ask)
	mux.HandleFunc("GET /emulator/api/remind", e.remind)
	mux.HandleFunc("GET /emulator/api/kb", e.kb)
	mux.HandleFunc("POST /emulator/api/card", e.tap)
	return e.guard(headers(mux))
}

type emulator struct {
	cfg   Config
	chats map[string]Chat
}

// platform is one way of asking: a platform and the dialect its replies
// are rendered in, as the adapters in bot/wecom and bot/dingtalk do.
type platform struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Markdown bool   `json:"markdown"`
	dialect  handlers.Dialect
	platform string // the bot platform emulated, for its length cap
}

var platforms = []platform{
	{ID: "wecom", Label: "企业微信 · 智能机器人（群聊@）", Markdown: true, dialect: handlers.WeComAIBot, platform: bot.WeComAIBot},
	{ID: "wecom_app", Label: "企业微信 · 自建应用（单聊）", Markdown: false, dialect: handlers.WeComText, platform: bot.WeComApp},
	{ID: "dingtalk", Label: "钉钉 · 机器人（群聊@）", Markdown: true, dialect: handlers.DingTalkMarkdown, platform: bot.DingTalk},
}

func platformByID(id string) (platform, bool) {
	for _, p := range platforms {
		if p.ID == id {
			return p, true
		}
	}
	return platform{}, false
}

// headers sets the security headers of every response: the page loads
// nothing but its own files, cannot be framed and leaks no token in a
// Referer.
func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
