package emulator

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
)

// A card is one task of a digest as the reminders panel shows it: the
// interactive card a platform would show, its buttons the task's verbs.
type card struct {
	Table   string   `json:"table"`
	No      int      `json:"no"`
	Label   string   `json:"label"` // 重点工作第76项
	Title   string   `json:"title"`
	Due     string   `json:"due,omitempty"`
	Light   string   `json:"light,omitempty"`
	Buttons []button `json:"buttons"`
}

type button struct {
	Verb  string `json:"verb"`
	Label string `json:"label"`
	// Ask names what the button needs typed before it is sent: "date" for
	// 申请延期, "reason" for 退回 and 不同意延期; "" for none.
	Ask string `json:"ask,omitempty"`
}

// cardsOf turns a digest's task actions into cards.
func cardsOf(tasks []handlers.TaskAction) []card {
	out := make([]card, 0, len(tasks))
	for _, a := range tasks {
		c := card{Table: string(a.Table), No: a.No, Label: handlers.TaskLabel(a.Table, a.No), Title: a.Title, Due: a.Due, Light: a.Light}
		for _, v := range a.Offered() {
			b := button{Verb: v, Label: handlers.VerbLabel(v)}
			switch v {
			case bot.VerbExtend:
				b.Ask = "date"
			case bot.VerbReturn, bot.VerbRejectExt:
				b.Ask = "reason"
			}
			c.Buttons = append(c.Buttons, b)
		}
		out = append(out, c)
	}
	return out
}

// cardRequest is the body of POST /emulator/api/card: one tap.
type cardRequest struct {
	ID        string `json:"id"`   // the button's click id: a second click on it is a replay
	Chat      string `json:"chat"` // a Config.Chats name: the chat the card was sent to
	User      string `json:"user"`
	Verb      string `json:"verb"`
	Table     string `json:"table"`
	No        int    `json:"no"`
	Extension string `json:"extension,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

type cardResponse struct {
	Title   string   `json:"title"`
	Desc    string   `json:"desc,omitempty"`
	Lines   []string `json:"lines,omitempty"`
	Refused bool     `json:"refused,omitempty"`
	Final   bool     `json:"final,omitempty"`
}

// tap hands one button press to Config.Cards, as a platform hands its
// click event, and returns the card's new view.
func (e *emulator) tap(w http.ResponseWriter, r *http.Request) {
	if e.cfg.Cards == nil {
		writeError(w, http.StatusNotImplemented, "cards are not configured")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "want Content-Type: application/json")
		return
	}
	var req cardRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "bad request body: "+err.Error())
		return
	}
	c, ok := e.chats[req.Chat]
	if !ok {
		writeError(w, http.StatusBadRequest, "unknown chat "+strconv.Quote(req.Chat))
		return
	}
	if req.ID == "" || len(req.ID) > 64 || req.No <= 0 || kb.Table(req.Table) == "" {
		writeError(w, http.StatusBadRequest, "a tap needs an id, a table and a task number")
		return
	}
	user := strings.TrimSpace(req.User)
	if user == "" {
		user = "emulator"
	}
	chatID := c.ID
	if chatID == "" {
		chatID = c.Name
	}
	v, err := e.cfg.Cards.Act(r.Context(), bot.CardAction{Platform: bot.Emulator, ID: req.ID, ChatID: chatID, UserID: user, UserName: user,
		Verb: req.Verb, Table: req.Table, No: req.No, Extension: strings.TrimSpace(req.Extension), Reason: strings.TrimSpace(req.Reason)})
	if err != nil {
		e.cfg.Logger.Warn("emulator card tap failed", "err", err)
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, cardResponse{Title: v.Title, Desc: v.Desc, Lines: v.Lines, Refused: v.Refused, Final: v.Final})
}
