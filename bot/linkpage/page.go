package linkpage

import (
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
	"duban/store"
)

// Config wires a Page. Signer, Actor, Used and Base are required.
type Config struct {
	Signer *Signer
	// Actor records the confirmed action (report.Reporter).
	Actor bot.CardActor
	// Used remembers spent tokens until they expire (the store's Deduper),
	// shared by every replica.
	Used store.Deduper
	// Base returns the current knowledge base, to show the task.
	Base func() *kb.Base
	// Prefix is the path the page is mounted at. Default: /l/.
	Prefix string
	Logger *slog.Logger
}

// A Page serves GET (show the task and the action, ask for a name) and
// POST (confirm) of one link: Prefix + token. It is an http.Handler.
type Page struct {
	cfg Config
}

// New returns the page handler.
func New(cfg Config) *Page {
	if cfg.Prefix == "" {
		cfg.Prefix = "/l/"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Page{cfg: cfg}
}

// Prefix is the path the page serves under.
func (p *Page) Prefix() string { return p.cfg.Prefix }

// maxForm bounds a confirmation: a name, a date and a reason.
const maxForm = 4 << 10

func (p *Page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// The token is the credential: no referrer, no cache, no framing, no
	// script, and forms post only back here.
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	raw, ok := strings.CutPrefix(r.URL.Path, p.cfg.Prefix)
	if !ok || raw == "" || strings.Contains(raw, "/") {
		http.NotFound(w, r)
		return
	}
	tok, err := p.cfg.Signer.Verify(raw)
	if err != nil {
		p.refuse(w, err)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		p.show(w, tok, "")
	case http.MethodPost:
		p.confirm(w, r, tok)
	default:
		h.Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// confirm spends the token and acts. A missing name re-asks and spends
// nothing; a token spent before is refused.
func (p *Page) confirm(w http.ResponseWriter, r *http.Request, tok Token) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	date := strings.TrimSpace(r.PostForm.Get("date"))
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	switch {
	case name == "" || len([]rune(name)) > 20:
		p.show(w, tok, handlers.LinkNeedName())
		return
	case tok.Verb == bot.VerbExtend && date == "":
		p.show(w, tok, handlers.LinkNeedDate())
		return
	}
	ctx := r.Context()
	first, err := p.cfg.Used.FirstSeen(ctx, "link|"+tok.ID(), time.Until(tok.Expires)+24*time.Hour)
	if err != nil {
		p.cfg.Logger.Warn("link token check failed", "err", err)
		p.render(w, http.StatusServiceUnavailable, pageData{Title: handlers.LinkStoreDown()})
		return
	}
	if !first {
		p.refuse(w, ErrUsed)
		return
	}
	v, err := p.cfg.Actor.Act(ctx, bot.CardAction{Platform: "link", ID: tok.ID(), ChatID: tok.Chat, UserName: name,
		Verb: tok.Verb, Table: tok.Table, No: tok.No, Extension: date, Reason: reason})
	if err != nil {
		p.cfg.Logger.Error("link action failed", "err", err, "task", tok.No)
		p.render(w, http.StatusInternalServerError, pageData{Title: handlers.LinkFailed()})
		return
	}
	status := http.StatusOK
	if v.Refused {
		status = http.StatusForbidden
	}
	p.render(w, status, pageData{Title: v.Title, Desc: v.Desc, Lines: v.Lines, Done: true})
}

// show renders the task, the action and the form.
func (p *Page) show(w http.ResponseWriter, tok Token, problem string) {
	d := pageData{Title: handlers.TaskLabel(kb.Table(tok.Table), tok.No), Action: handlers.VerbLabel(tok.Verb),
		Problem: problem, Date: tok.Verb == bot.VerbExtend,
		Reason: tok.Verb == bot.VerbExtend || tok.Verb == bot.VerbReturn || tok.Verb == bot.VerbRejectExt}
	if b := p.cfg.Base(); b != nil {
		if rec, ok := b.Task(kb.Table(tok.Table), tok.No); ok {
			d.Lines = handlers.ViewDetail(rec, kb.Status{}, false).Lines
			d.Lines = d.Lines[:len(d.Lines)-1] // the status line: the page does not read the journal
		}
	}
	status := http.StatusOK
	if problem != "" {
		status = http.StatusBadRequest
	}
	p.render(w, status, d)
}

func (p *Page) refuse(w http.ResponseWriter, err error) {
	title := handlers.LinkInvalid()
	switch {
	case errors.Is(err, ErrExpired):
		title = handlers.LinkExpired()
	case errors.Is(err, ErrUsed):
		title = handlers.LinkUsed()
	}
	p.render(w, http.StatusForbidden, pageData{Title: title, Done: true})
}

type pageData struct {
	Title, Desc, Action, Problem string
	Lines                        []string
	Date, Reason, Done           bool
}

func (p *Page) render(w http.ResponseWriter, status int, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, d)
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>督办确认</title>
<style>body{font:16px/1.6 sans-serif;max-width:32em;margin:1em auto;padding:0 1em}h1{font-size:1.2em}
.problem{color:#b00}label{display:block;margin:.6em 0}input{font-size:1em;width:100%;box-sizing:border-box}button{font-size:1.1em;padding:.4em 1.2em;margin-top:.8em}</style>
</head><body>
<h1 id="title">{{.Title}}</h1>
{{if .Desc}}<p id="desc">{{.Desc}}</p>{{end}}
{{range .Lines}}<p>{{.}}</p>{{end}}
{{if not .Done}}
<form method="post">
<p>操作：<strong id="action">{{.Action}}</strong></p>
{{if .Problem}}<p class="problem" id="problem">{{.Problem}}</p>{{end}}
<label>您的姓名 <input name="name" required maxlength="20" autocomplete="name"></label>
{{if .Date}}<label>延期到 <input name="date" required placeholder="例如 10月底"></label>{{end}}
{{if .Reason}}<label>原因 <input name="reason" maxlength="200"></label>{{end}}
<button type="submit">确认</button>
</form>
{{end}}
</body></html>
`))
