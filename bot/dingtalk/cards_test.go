package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/cardtest"
	"duban/bot/dingtalk/dingtalktest"
	"duban/handlers"
	"duban/kb"
)

// newCardActor records taps and answers with a view per verb; user
// "outsider" is refused.
func newCardActor() *cardtest.Actor {
	return &cardtest.Actor{View: cardView}
}

func cardView(c bot.CardAction) bot.CardView {
	switch {
	case c.UserID == "outsider":
		return bot.CardView{Title: "你不能替本单位登记", Refused: true}
	case c.Verb == bot.VerbDetail:
		return bot.CardView{Title: fmt.Sprintf("%d号", c.No), Lines: []string{"牵头：住建局", "时限：8月底前"}}
	}
	return bot.CardView{Title: fmt.Sprintf("%d号 已登记完成，待审核", c.No), Desc: c.UserID}
}

// cardStream runs a Stream with cards on a fake gateway.
func cardStream(t *testing.T) (*Stream, *dingtalktest.StreamGateway, *cardtest.Actor) {
	t.Helper()
	gw := dingtalktest.NewStreamGateway(t)
	s, err := NewStream(StreamConfig{ClientID: dingtalktest.StreamClientID, ClientSecret: dingtalktest.StreamClientSecret,
		OpenAPIBaseURL: gw.URL, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond}, noHandler)
	if err != nil {
		t.Fatal(err)
	}
	act := newCardActor()
	s.HandleCards(CardConfig{Actor: act, Dedup: &cardtest.Dedup{}})
	runStream(t, s, gw)
	return s, gw, act
}

func noHandler(context.Context, *bot.Message) (handlers.Reply, error) { return handlers.Reply{}, nil }

// runStream runs s until the test ends, once it is connected.
func runStream(tb testing.TB, s *Stream, gw *dingtalktest.StreamGateway) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	tb.Cleanup(func() { cancel(); <-done })
	deadline := time.Now().Add(10 * time.Second)
	for !(s.Connected() && gw.Connected()) {
		if time.Now().After(deadline) {
			tb.Fatal("timed out waiting for the stream connection")
		}
		time.Sleep(time.Millisecond)
	}
}

func cardSender(t *testing.T, gw *dingtalktest.StreamGateway) *CardSender {
	api, err := NewCardAPI(CardAPIConfig{AppKey: dingtalktest.StreamClientID, AppSecret: dingtalktest.StreamClientSecret, BaseURL: gw.URL})
	if err != nil {
		t.Fatal(err)
	}
	return &CardSender{API: api, TemplateID: "tpl-1.schema", OpenConversationID: "cidGroup1"}
}

func TestCardDeliverOneCardPerDigest(t *testing.T) {
	_, gw, _ := cardStream(t)
	s := cardSender(t, gw)
	for _, n := range []int{1, 12} {
		if err := s.Send(context.Background(), cardtest.Digest(n)); err != nil {
			t.Fatalf("Send(%d tasks): %v", n, err)
		}
	}
	cards := gw.DeliveredCards()
	if len(cards) != 2 || gw.Tokens() != 1 {
		t.Fatalf("%d cards with %d tokens, want 2 cards and one cached token", len(cards), gw.Tokens())
	}
	c := cards[1]
	if c.TemplateID != "tpl-1.schema" || c.OpenSpaceID != "dtv1.card//IM_GROUP.cidGroup1" || c.RobotCode != dingtalktest.StreamClientID {
		t.Errorf("delivered %+v", c)
	}
	var opts []struct{ Text, Value string }
	if err := json.Unmarshal([]byte(c.Params["taskOptions"]), &opts); err != nil || len(opts) != 10 {
		t.Errorf("taskOptions %q: %d options (%v), want 10", c.Params["taskOptions"], len(opts), err)
	}
	if c.Params["task"] != "key_tasks:76" || c.Params["done"] != "false" {
		t.Errorf("params %v: want task key_tasks:76 preselected and done false", c.Params)
	}
	if (&CardSender{}).Parts(cardtest.Digest(40)) != 1 {
		t.Error("a digest card counts as more than one message")
	}
}

func TestCardClickOverStream(t *testing.T) {
	_, gw, act := cardStream(t)
	id, err := gw.PushCardClick(dingtalktest.CardClick{OutTrackID: "duban-x", UserID: "staff1", ConversationID: "cidGroup1",
		ActionID: "done", Params: map[string]string{"task": "key_tasks:77"}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the answer frame", func() bool { return len(gw.CardAnswers(id)) == 1 })
	// Card is the outTrackId: the reviewer's decision updates the card by it.
	want := bot.CardAction{Platform: "dingtalk", ID: id, ChatID: "cidGroup1", UserID: "staff1", Verb: bot.VerbDone, Table: "key_tasks", No: 77, Card: "duban-x"}
	if got := act.Actions(); len(got) != 1 || got[0] != want {
		t.Fatalf("actor got %+v, want %+v", got, want)
	}
	a := gw.CardAnswers(id)[0]
	if a.Public["status"] != "77号 已登记完成，待审核" || a.Public["statusDesc"] != "staff1" || a.Private != nil {
		t.Errorf("answer %+v, want the view in the public card data", a)
	}
}

func TestCardClickReplayedOnce(t *testing.T) {
	_, gw, act := cardStream(t)
	id, err := gw.PushCardClick(dingtalktest.CardClick{OutTrackID: "duban-x", UserID: "staff1", ActionID: "extend",
		Params: map[string]string{"task": "key_tasks:76", "extension": "2020-10-31", "reason": "资金未到位"}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the answer", func() bool { return len(gw.CardAnswers(id)) == 1 })
	gw.Redeliver(id)
	gw.Redeliver(id)
	waitFor(t, "the replays answered", func() bool {
		n := 0
		for _, a := range gw.Acks() {
			if a.MessageID == id {
				n++
			}
		}
		return n == 3
	})
	if got := act.Actions(); len(got) != 1 || got[0].Verb != bot.VerbExtend || got[0].ChatID != "" || got[0].Extension != "2020-10-31" || got[0].Reason != "资金未到位" {
		t.Errorf("actor got %+v, want one 申请延期 from a 1:1 card", got)
	}
	if n := len(gw.CardAnswers(id)); n != 1 {
		t.Errorf("%d answers carried a card update, want only the first", n)
	}
}

func TestCardRefusalAndDetailArePrivate(t *testing.T) {
	_, gw, _ := cardStream(t)
	for _, k := range []dingtalktest.CardClick{
		{OutTrackID: "duban-x", UserID: "outsider", ConversationID: "cidGroup1", ActionID: "done", Params: map[string]string{"task": "key_tasks:76"}},
		{OutTrackID: "duban-x", UserID: "staff1", ConversationID: "cidGroup1", ActionID: "detail", Params: map[string]string{"task": "key_tasks:76"}},
	} {
		id, err := gw.PushCardClick(k)
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the answer", func() bool { return len(gw.CardAnswers(id)) == 1 })
		a := gw.CardAnswers(id)[0]
		if a.Public != nil || a.Private["status"] == "" {
			t.Errorf("%s by %s: answer %+v, want the view private to the tapper", k.ActionID, k.UserID, a)
		}
		if k.ActionID == "detail" && a.Private["detail"] != "牵头：住建局\n时限：8月底前" {
			t.Errorf("detail %q", a.Private["detail"])
		}
	}
}

func TestCardClickWithoutTaskIgnored(t *testing.T) {
	_, gw, act := cardStream(t)
	id, _ := gw.PushCardClick(dingtalktest.CardClick{OutTrackID: "x", UserID: "u", ActionID: "done"})
	waitFor(t, "the ack", func() bool { return gw.Acked(id) })
	if len(act.Actions()) != 0 || len(gw.CardAnswers(id)) != 0 {
		t.Errorf("a click naming no task was acted on")
	}
}

func TestCardLaterUpdate(t *testing.T) {
	_, gw, _ := cardStream(t)
	s := cardSender(t, gw)
	if err := s.Send(context.Background(), cardtest.Digest(1)); err != nil {
		t.Fatal(err)
	}
	track := gw.DeliveredCards()[0].OutTrackID
	if err := s.API.Update(context.Background(), track, ViewParams(bot.CardView{Title: "76号 已办结", Final: true})); err != nil {
		t.Fatal(err)
	}
	u := gw.CardUpdates()
	if len(u) != 1 || u[0].OutTrackID != track || u[0].Params["done"] != "true" {
		t.Errorf("updates %+v", u)
	}
	if err := s.API.Update(context.Background(), "unknown", nil); err == nil {
		t.Error("update of an unknown card succeeded")
	}
}

// TestCardUpdateCard: the report package's later update (a reviewer's
// decision) is a PUT by outTrackId with the view's card variables; a
// card DingTalk does not know, or no outTrackId, is an error.
func TestCardUpdateCard(t *testing.T) {
	_, gw, _ := cardStream(t)
	s := cardSender(t, gw)
	if err := s.Send(t.Context(), cardtest.Digest(2)); err != nil {
		t.Fatal(err)
	}
	track := gw.DeliveredCards()[0].OutTrackID
	v := bot.CardView{Title: "重点工作第76项 已办结", Desc: "督查办 9月3日 10:00", Lines: []string{"已办结，提醒停止。"}, Final: true}
	if err := s.API.UpdateCard(t.Context(), track, bot.CardAction{Table: "key_tasks", No: 76}, v); err != nil {
		t.Fatal(err)
	}
	u := gw.CardUpdates()
	want := map[string]string{"status": v.Title, "statusDesc": v.Desc, "detail": v.Lines[0], "done": "true"}
	if len(u) != 1 || u[0].OutTrackID != track || fmt.Sprint(u[0].Params) != fmt.Sprint(want) {
		t.Errorf("updates %+v, want %v on %s", u, want, track)
	}
	var ae *APIError
	if err := s.API.UpdateCard(t.Context(), "never-delivered", bot.CardAction{}, v); !errors.As(err, &ae) || ae.Status != 404 {
		t.Errorf("update of an unknown card: %v, want a 404 APIError", err)
	}
	if err := s.API.UpdateCard(t.Context(), "", bot.CardAction{}, v); err == nil {
		t.Error("update without an outTrackId succeeded")
	}
}

// TestCardSenderElse: a reply without tasks (an answer, a notice) goes
// through the group's webhook, a digest with tasks as a card.
func TestCardSenderElse(t *testing.T) {
	_, gw, _ := cardStream(t)
	dt := dingtalktest.NewServer(t)
	dt.AddRobot("tok", "SECtok")
	wh, err := NewWebhook(WebhookConfig{AccessToken: "tok", Secret: "SECtok", BaseURL: dt.URL})
	if err != nil {
		t.Fatal(err)
	}
	s := cardSender(t, gw)
	s.Else = wh
	if err := s.Send(context.Background(), handlers.Reply{Head: "第76项由住建局牵头"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), cardtest.Digest(2)); err != nil {
		t.Fatal(err)
	}
	if len(dt.Sent()) != 1 || len(gw.DeliveredCards()) != 1 {
		t.Errorf("webhook got %d, cards %d; want one each", len(dt.Sent()), len(gw.DeliveredCards()))
	}
}

func TestDigestParamsVerbs(t *testing.T) {
	r := handlers.Reply{Head: "待审核：76号", Tasks: []handlers.TaskAction{
		{Table: kb.KeyTasks, No: 76, Title: "老旧小区改造", Verbs: handlers.ExtensionVerbs},
		{Table: kb.KeyTasks, No: 80, Title: "别的"},
	}}
	p := DigestParams(r)
	if p["verbs"] != "approve_ext,reject_ext" || p["extensionActions"] != "true" || p["unitActions"] != "false" || p["task"] != "key_tasks:76" {
		t.Errorf("params %v", p)
	}
	if !strings.Contains(p["content"], "另有1项未列出") {
		t.Errorf("content %q does not count the task with other verbs", p["content"])
	}
	if u := DigestParams(cardtest.Digest(2)); u["unitActions"] != "true" || u["verbs"] != "done,extend,detail" {
		t.Errorf("a digest's params %v, want a unit's verbs", u)
	}
}
