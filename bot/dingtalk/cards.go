package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coder/websocket"
	frames "github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"

	"duban/bot"
	"duban/bot/internal/connrun"
	"duban/handlers"
	"duban/store"
)

// Interactive cards (互动卡片, PROTOCOLS §9.3). A reminder with Tasks is
// ONE card per digest message, as on WeCom (issue 17's budget of one or
// two reminder messages a day): the template docs/dingtalk-card-template.json
// shows the title, the most urgent tasks as markdown, a task picker and
// the buttons 已完成 / 申请延期 / 查看详情. These are its variables
// (cardParamMap; every value a string, lists as JSON):
//
//	title, unit, content      the digest head, the unit, the task lines (markdown)
//	task, taskOptions         the picked task ("key_tasks:76") and the picker's [{"text","value"}]
//	status, statusDesc, detail, done   what a tap changed; done "true" hides the buttons
//
// A button's callback carries actionIds ["done"|"extend"|"detail"] and
// params {"task": "${task}"}, plus for 申请延期 the template's date
// picker and reason ({"extension": "${extension}", "reason": "${reason}"}),
// which WeCom's buttons cannot carry; the click arrives over Stream on
// CardCallbackTopic with content, a JSON string inside the JSON data,
// decoded twice. The answer frame updates the card: for everyone
// (cardData), except a refusal or a task's details, which go to the
// tapping user's private data only (userPrivateData).

// CardCallbackTopic is the Stream topic of card clicks.
const CardCallbackTopic = "/v1.0/card/instances/callback"

const (
	cardMaxTasks  = 10
	cardReplyTime = 4 * time.Second // DingTalk waits a few seconds for the answer frame
)

// CardConfig routes card clicks arriving over Stream to a bot.CardActor.
type CardConfig struct {
	Actor bot.CardActor // required
	// Dedup drops a click frame whose messageId was seen (the gateway
	// redelivers an event it got no answer for); nil acts on each.
	Dedup    store.Deduper
	DedupTTL time.Duration // default 24h
}

type cardHandler struct{ cfg CardConfig }

// HandleCards subscribes the Stream to card clicks and routes them to
// cfg.Actor; call it before Run.
func (s *Stream) HandleCards(cfg CardConfig) {
	if cfg.Actor == nil {
		panic("dingtalk: HandleCards with nil actor")
	}
	if cfg.DedupTTL <= 0 {
		cfg.DedupTTL = 24 * time.Hour
	}
	s.cards = &cardHandler{cfg: cfg}
	s.sdk.RegisterCallbackRouter(CardCallbackTopic, notDispatched)
}

// cardCallback is the data of a click frame.
type cardCallback struct {
	OutTrackID string `json:"outTrackId"`
	UserID     string `json:"userId"`
	SpaceType  string `json:"spaceType"`
	SpaceID    string `json:"spaceId"`
	Type       string `json:"type"`
	Content    string `json:"content"`
}

type cardContent struct {
	Private struct {
		ActionIDs []string          `json:"actionIds"`
		Params    map[string]string `json:"params"`
	} `json:"cardPrivateData"`
}

// action reads a click: the verb from the action id (or params.verb), the
// task from params.task.
func (cb *cardCallback) action(frameID string) (bot.CardAction, error) {
	var c cardContent
	if err := json.Unmarshal([]byte(cb.Content), &c); err != nil {
		return bot.CardAction{}, fmt.Errorf("card callback content: %w", err)
	}
	verb := c.Private.Params["verb"]
	if verb == "" && len(c.Private.ActionIDs) > 0 {
		verb = c.Private.ActionIDs[0]
	}
	table, n, _ := strings.Cut(c.Private.Params["task"], ":")
	no, err := strconv.Atoi(n)
	if verb == "" || table == "" || err != nil || no <= 0 {
		return bot.CardAction{}, fmt.Errorf("card callback: no verb or task in %v", c.Private)
	}
	a := bot.CardAction{Platform: "dingtalk", ID: frameID, UserID: cb.UserID, Verb: verb, Table: table, No: no,
		Extension: c.Private.Params["extension"], Reason: c.Private.Params["reason"],
		// The card stays updatable by its outTrackId (PUT /v1.0/card/instances)
		// after this click's answer: a reviewer's decision shows on it.
		Card: cb.OutTrackID}
	if cb.SpaceType == "IM_GROUP" {
		a.ChatID = cb.SpaceID
	}
	return a, nil
}

// cardFrame queues a click for a worker, which answers the frame with the
// card update; the reader goes on answering pings meanwhile.
func (s *Stream) cardFrame(ctx context.Context, c *websocket.Conn, p *connrun.Pool, df *frames.DataFrame) error {
	if !p.TrySubmit(func() { s.cardClick(ctx, c, df) }) {
		s.cfg.Logger.Warn("dingtalk stream: workers busy, card click refused", "platform", bot.DingTalkStrm)
		return write(ctx, c, ack(df, frames.DataFrameResponseStatusCodeKInternalError, "busy", ""))
	}
	return nil
}

// cardClick acts on one click and answers its frame.
func (s *Stream) cardClick(connCtx context.Context, c *websocket.Conn, df *frames.DataFrame) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(connCtx), cardReplyTime)
	defer cancel()
	log := s.cfg.Logger.With("platform", bot.DingTalkStrm, "frame_id", df.GetMessageId())
	h := s.cards
	none := ack(df, frames.DataFrameResponseStatusCodeKOK, ackMessage, ackData)
	var cb cardCallback
	err := json.Unmarshal([]byte(df.Data), &cb)
	a, aerr := cb.action(df.GetMessageId())
	if err != nil || aerr != nil {
		log.Warn("dingtalk stream: card click refused", "err", errors.Join(err, aerr))
		write(ctx, c, none)
		return
	}
	if h.cfg.Dedup != nil {
		first, err := h.cfg.Dedup.FirstSeen(ctx, bot.DingTalkStrm+"|card|"+a.ID, h.cfg.DedupTTL)
		if err != nil {
			log.Warn("dingtalk stream: dedup store failed, acting anyway", "err", err)
		} else if !first {
			log.Debug("dingtalk stream: redelivered card click dropped")
			write(ctx, c, none)
			return
		}
	}
	view, err := h.cfg.Actor.Act(ctx, a)
	switch {
	case errors.Is(err, bot.ErrDuplicate):
		write(ctx, c, none)
		return
	case err != nil:
		log.Error("dingtalk stream: card action failed", "err", err)
		view = bot.CardView{Title: "暂时无法登记，请稍后再试", Refused: true}
	}
	data, err := json.Marshal(map[string]any{"response": cardResponse(a, view)})
	if err == nil {
		err = write(ctx, c, ack(df, frames.DataFrameResponseStatusCodeKOK, ackMessage, string(data)))
	}
	if err != nil {
		log.Error("dingtalk stream: card update failed", "err", err)
	}
}

// cardResponse is the update a click's answer frame carries (the SDK's
// card.CardResponse shape).
func cardResponse(a bot.CardAction, v bot.CardView) map[string]any {
	params := ViewParams(v)
	key := "cardData"
	if v.Refused || a.Verb == bot.VerbDetail {
		key = "userPrivateData"
	}
	return map[string]any{
		"cardUpdateOptions": map[string]bool{"updateCardDataByKey": true, "updatePrivateDataByKey": true},
		key:                 map[string]any{"cardParamMap": params},
	}
}

// ViewParams are the card variables a view sets.
func ViewParams(v bot.CardView) map[string]string {
	return map[string]string{
		"status": v.Title, "statusDesc": v.Desc, "detail": strings.Join(v.Lines, "\n"),
		"done": strconv.FormatBool(v.Final && !v.Refused),
	}
}

// DigestParams are the card variables of a reminder with Tasks. The
// buttons shown are the first task's verbs (verbs, and one of unitActions,
// claimActions, extensionActions "true" for the template to show that
// button group); tasks offering other verbs are counted as not listed.
func DigestParams(r handlers.Reply) map[string]string {
	var verbs []string
	var same []handlers.TaskAction
	for _, t := range r.Tasks {
		if verbs == nil {
			verbs = t.Offered()
		}
		if slices.Equal(t.Offered(), verbs) {
			same = append(same, t)
		}
	}
	tasks := same[:min(len(same), cardMaxTasks)]
	var lines []string
	type option struct {
		Text  string `json:"text"`
		Value string `json:"value"`
	}
	opts := make([]option, 0, len(tasks))
	for _, t := range tasks {
		line := "- **" + strconv.Itoa(t.No) + "号** " + t.Title
		if t.Due != "" {
			line += " " + t.Due
		}
		if m := lightMark[t.Light]; m != "" {
			line += " " + m
		}
		lines = append(lines, line)
		opts = append(opts, option{Text: strconv.Itoa(t.No) + "号 " + t.Title, Value: string(t.Table) + ":" + strconv.Itoa(t.No)})
	}
	if rest := len(r.Tasks) - len(tasks); rest > 0 {
		lines = append(lines, "另有"+strconv.Itoa(rest)+"项未列出")
	}
	if r.More != "" {
		lines = append(lines, r.More)
	}
	optJSON, _ := json.Marshal(opts)
	p := map[string]string{"title": r.Head, "content": strings.Join(lines, "\n"), "taskOptions": string(optJSON),
		"status": "", "statusDesc": "", "detail": "", "done": "false", "extension": "", "reason": "",
		"verbs":            strings.Join(verbs, ","),
		"unitActions":      strconv.FormatBool(slices.Equal(verbs, handlers.UnitVerbs)),
		"claimActions":     strconv.FormatBool(slices.Equal(verbs, handlers.ClaimVerbs)),
		"extensionActions": strconv.FormatBool(slices.Equal(verbs, handlers.ExtensionVerbs)),
	}
	if len(tasks) > 0 {
		p["task"] = opts[0].Value
		p["unit"] = tasks[0].Unit
	}
	return p
}

var lightMark = map[string]string{"red": "🔴", "yellow": "🟡", "green": "🟢"}
