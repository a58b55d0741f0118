package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"duban/bot"
	"duban/handlers"
)

// maxQuestion bounds what the emulator accepts at all, in runes. Within
// it, a question longer than the emulated platform's client can send gets
// that platform's polite refusal (bot.TooLong), as a real chat would.
const maxQuestion = 20000

// shanghai is the zone the reminders panel speaks in; binaries import
// time/tzdata, and +08:00 is exact for Shanghai (no DST since 1991).
var shanghai = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

type configResponse struct {
	Platforms []platform `json:"platforms"`
	Chats     []Chat     `json:"chats"`
	Now       string     `json:"now"` // RFC 3339 in Asia/Shanghai
	Remind    bool       `json:"remind"`
	KB        bool       `json:"kb"`
	Cards     bool       `json:"cards"`
}

func (e *emulator) config(w http.ResponseWriter, r *http.Request) {
	chats := e.cfg.Chats
	if chats == nil {
		chats = []Chat{}
	}
	writeJSON(w, http.StatusOK, configResponse{
		Platforms: platforms,
		Chats:     chats,
		Now:       e.cfg.Now().In(shanghai).Format(time.RFC3339),
		Remind:    e.cfg.Remind != nil,
		KB:        e.cfg.KBSummary != nil,
		Cards:     e.cfg.Cards != nil,
	})
}

// askRequest is the body of POST /emulator/api/ask.
type askRequest struct {
	Platform string `json:"platform"` // wecom, wecom_app or dingtalk
	Chat     string `json:"chat"`     // a Config.Chats name; "" for a 1:1 chat
	User     string `json:"user"`
	Text     string `json:"text"`
}

type askResponse struct {
	Messages []string `json:"messages"` // the reply as the platform receives it, split at its limit
	Markdown bool     `json:"markdown"`
	Dialect  string   `json:"dialect"`
	Intent   string   `json:"intent"`
	NotFound bool     `json:"not_found,omitempty"`
	Sources  any      `json:"sources"`
	Millis   float64  `json:"millis"` // time the handler chain took
}

func (e *emulator) ask(w http.ResponseWriter, r *http.Request) {
	// Requiring JSON makes a cross-site form post impossible: a foreign
	// page would need a CORS preflight, which is never granted.
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "want Content-Type: application/json")
		return
	}
	var req askRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "bad request body: "+err.Error())
		return
	}
	p, ok := platformByID(req.Platform)
	if !ok {
		writeError(w, http.StatusBadRequest, "unknown platform "+strconv.Quote(req.Platform))
		return
	}
	text := strings.TrimSpace(req.Text)
	if text == "" || utf8.RuneCountInString(text) > maxQuestion {
		writeError(w, http.StatusBadRequest, "text must be 1 to "+strconv.Itoa(maxQuestion)+" characters")
		return
	}
	m := &bot.Message{Platform: bot.Emulator, ID: newID(), ChatType: "single", UserID: req.User, UserName: req.User, Text: text}
	if m.UserID == "" {
		m.UserID, m.UserName = "emulator", "emulator"
	}
	if req.Chat != "" {
		c, ok := e.chats[req.Chat]
		if !ok {
			writeError(w, http.StatusBadRequest, "unknown chat "+strconv.Quote(req.Chat))
			return
		}
		m.ChatType, m.ChatID = "group", c.ID
		if m.ChatID == "" {
			m.ChatID = c.Name
		}
	}
	start := time.Now()
	reply, long := bot.TooLong(&bot.Message{Platform: p.platform, Text: text})
	var err error
	if !long {
		reply, err = e.cfg.Handler(r.Context(), m)
	}
	elapsed := time.Since(start)
	if err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, bot.ErrBusy) || errors.Is(err, bot.ErrNoHandler) {
			status = http.StatusServiceUnavailable
		}
		e.cfg.Logger.Warn("emulator question failed", "msg_id", m.ID, "err", err)
		writeError(w, status, err.Error())
		return
	}
	var sources any = reply.Sources
	if reply.Sources == nil {
		sources = []struct{}{}
	}
	writeJSON(w, http.StatusOK, askResponse{
		Messages: handlers.Render(reply, p.dialect),
		Markdown: p.Markdown,
		Dialect:  p.dialect.Name,
		Intent:   reply.Intent,
		NotFound: reply.NotFound,
		Sources:  sources,
		Millis:   float64(elapsed.Microseconds()) / 1000,
	})
}

type remindResponse struct {
	Now     string   `json:"now"`
	Digests []Digest `json:"digests"`
}

func (e *emulator) remind(w http.ResponseWriter, r *http.Request) {
	if e.cfg.Remind == nil {
		writeError(w, http.StatusNotImplemented, "reminders are not configured")
		return
	}
	now := e.cfg.Now()
	if s := r.URL.Query().Get("now"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			writeError(w, http.StatusBadRequest, "now: want RFC 3339, e.g. 2020-08-25T09:00:00+08:00")
			return
		}
		now = t
	}
	ds, err := e.cfg.Remind(r.Context(), now)
	if err != nil {
		e.cfg.Logger.Warn("emulator remind failed", "err", err)
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	if ds == nil {
		ds = []Digest{}
	}
	if e.cfg.Cards != nil {
		for i := range ds {
			ds[i].Cards = cardsOf(ds[i].Tasks)
		}
	}
	writeJSON(w, http.StatusOK, remindResponse{Now: now.In(shanghai).Format(time.RFC3339), Digests: ds})
}

func (e *emulator) kb(w http.ResponseWriter, r *http.Request) {
	if e.cfg.KBSummary == nil {
		writeError(w, http.StatusNotImplemented, "no knowledge-base summary configured")
		return
	}
	writeJSON(w, http.StatusOK, e.cfg.KBSummary())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client went away
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// newID returns a message ID unique enough for Dedup: 64 random bits.
func newID() string {
	var b [8]byte
	rand.Read(b[:])
	return "emu-" + hex.EncodeToString(b[:])
}
