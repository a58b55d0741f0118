package wecom

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/cardtest"
	"duban/bot/wecom/wecomtest"
	"duban/handlers"
)

// cardActor records taps and answers with a view per verb; user
// "outsider" is refused.
type cardActor struct {
	cardtest.Actor
	later bool // keep a 已完成's handle for a later update (CardView.Later); read under the Actor's lock
}

func newCardActor() *cardActor {
	a := &cardActor{}
	a.View = func(c bot.CardAction) bot.CardView {
		if c.UserID == "outsider" {
			return bot.CardView{Title: "你不能替本单位登记", Refused: true}
		}
		return bot.CardView{Title: fmt.Sprintf("%d号 已登记完成，待审核", c.No), Desc: c.UserID, Final: c.Verb == bot.VerbDone,
			Later: a.later && c.Verb == bot.VerbDone}
	}
	return a
}

// appCardRig is an app callback with cards against the fake, and one card
// sent to zhangsan.
func appCardRig(t *testing.T, tasks int) (*wecomtest.Server, string, *cardActor, wecomtest.SentCard) {
	t.Helper()
	fake := wecomtest.New(t, wecomtest.Options{})
	app, err := NewApp(AppConfig{CorpID: fake.Opts.CorpID, AgentID: fake.Opts.AgentID, Secret: Secret(fake.Opts.Secret), BaseURL: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	cb, url := appCallback(t, fake, &recorder{}, nil)
	act := newCardActor()
	contact := map[string]string{"zhangsan": "cidzjj"} // zhangsan's cards speak for 住建局's group
	chatOf := func(u string) string { return contact[u] }
	if err := cb.HandleCards(AppCardConfig{App: app, Actor: act, Dedup: &cardtest.Dedup{}, ChatOf: chatOf}); err != nil {
		t.Fatal(err)
	}
	if err := app.CardsTo("zhangsan").Send(context.Background(), cardtest.Digest(tasks)); err != nil {
		t.Fatalf("send card: %v", err)
	}
	cards := fake.Cards()
	if len(cards) != 1 || cards[0].ToUser != "zhangsan" {
		t.Fatalf("fake got cards %+v, want one to zhangsan", cards)
	}
	return fake, url, act, cards[0]
}

func click(t *testing.T, fake *wecomtest.Server, url string, xml []byte) int {
	t.Helper()
	cb, err := fake.App.EncryptedCallback(url, testNow, "n"+fmt.Sprint(time.Now().UnixNano()), fake.Opts.AgentID, xml)
	if err != nil {
		t.Fatal(err)
	}
	status, _ := send(t, cb)
	return status
}

func TestAppCardClickUpdatesByResponseCode(t *testing.T) {
	fake, url, act, card := appCardRig(t, 3)
	xml, code := fake.TemplateCardEvent("zhangsan", card.Card.Buttons[0].Key, card.Card.TaskID,
		map[string]string{CardQuestionKey: card.Card.Selection.Options[2].ID}, testNow)
	if status := click(t, fake, url, xml); status != 200 {
		t.Fatalf("click answered %d", status)
	}
	want := bot.CardAction{Platform: "wecom", ID: code, ChatID: "cidzjj", UserID: "zhangsan", Verb: bot.VerbDone, Table: "key_tasks", No: 78,
		Conversation: "wecom_app||zhangsan"} // no Card: a card of several tasks is updated now
	if got := act.Actions(); len(got) != 1 || got[0] != want {
		t.Fatalf("actor got %+v, want %+v", got, want)
	}
	u := fake.CardUpdates()
	if len(u) != 1 || u[0].ResponseCode != code || u[0].Card == nil || u[0].Card.MainTitle.Title != "78号 已登记完成，待审核" {
		t.Fatalf("updates %+v", u)
	}
	// 78 is final: the picker keeps the two others.
	if s := u[0].Card.Selection; s == nil || len(s.Options) != 2 {
		t.Errorf("updated picker %+v, want the two tasks left", s)
	}
}

// TestAppCardKeptForLater: a tap whose code the actor keeps for the
// reviewer's decision is answered by the passive reply that renames the
// tapped button (no code spent); the decision's update then spends the
// code once through AppCardUpdater, on the card's own tasks.
func TestAppCardKeptForLater(t *testing.T) {
	fake, url, act, card := appCardRig(t, 1)
	act.later = true
	xml, code := fake.TemplateCardEvent("zhangsan", card.Card.Buttons[0].Key, card.Card.TaskID, nil, testNow)
	cb, err := fake.App.EncryptedCallback(url, testNow, "nonce-later", fake.Opts.AgentID, xml)
	if err != nil {
		t.Fatal(err)
	}
	status, body := send(t, cb)
	if status != 200 {
		t.Fatalf("click answered %d", status)
	}
	plain, err := fake.App.OpenXMLReply(body, "nonce-later")
	if err != nil {
		t.Fatalf("passive reply: %v\n%s", err, body)
	}
	for _, w := range []string{"<ToUserName><![CDATA[zhangsan]]></ToUserName>", "<MsgType><![CDATA[update_button]]></MsgType>",
		"<Button><ReplaceName><![CDATA[已登记，待审核]]></ReplaceName></Button>"} {
		if !strings.Contains(string(plain), w) {
			t.Errorf("passive reply %s, want %s", plain, w)
		}
	}
	if n := len(fake.CardUpdates()); n != 0 {
		t.Fatalf("%d API updates, want none (the code is kept)", n)
	}
	a := act.Actions()[0]
	if a.Card != AppCardRef(code, card.Card.TaskID) {
		t.Fatalf("action handle %q", a.Card)
	}
	app, err := NewApp(AppConfig{CorpID: fake.Opts.CorpID, AgentID: fake.Opts.AgentID, Secret: Secret(fake.Opts.Secret), BaseURL: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	u := AppCardUpdater{App: app}
	v := bot.CardView{Title: "76号 已办结", Desc: "督查办", Lines: []string{"已办结，提醒停止。"}, Final: true}
	if err := u.UpdateCard(t.Context(), a.Card, a, v); err != nil {
		t.Fatalf("later update: %v", err)
	}
	ups := fake.CardUpdates()
	if len(ups) != 1 || ups[0].ResponseCode != code || fmt.Sprint(ups[0].UserIDs) != "[zhangsan]" ||
		ups[0].Card == nil || ups[0].Card.MainTitle.Title != "76号 已办结" || ups[0].Card.TaskID != card.Card.TaskID {
		t.Fatalf("updates %+v, want the decision on zhangsan's card by the tap's code", ups)
	}
	// Nothing is left to tap: the card becomes a notice.
	if ups[0].Card.CardType != "text_notice" || len(ups[0].Card.Buttons) != 0 {
		t.Errorf("updated card %+v, want a text_notice without buttons", ups[0].Card)
	}
	if err := u.UpdateCard(t.Context(), a.Card, a, v); err == nil {
		t.Error("a spent response_code updated the card again")
	}
	if err := u.UpdateCard(t.Context(), "nohandle", a, v); err == nil {
		t.Error("a handle without a task_id was accepted")
	}
}

func TestAppCardReplayActsOnce(t *testing.T) {
	fake, url, act, card := appCardRig(t, 1)
	xml, _ := fake.TemplateCardEvent("zhangsan", card.Card.Buttons[1].Key, card.Card.TaskID, nil, testNow)
	for range 3 { // WeCom resends a callback it did not see answered in time
		if status := click(t, fake, url, xml); status != 200 {
			t.Fatalf("click answered %d", status)
		}
	}
	if got := act.Actions(); len(got) != 1 || got[0].Verb != bot.VerbExtend || got[0].No != 76 {
		t.Errorf("actor got %+v, want one 申请延期 on 76", got)
	}
	if n := len(fake.CardUpdates()); n != 1 {
		t.Errorf("%d updates, want 1 (a response_code is single-use)", n)
	}
}

func TestAppCardRefusalKeepsButtons(t *testing.T) {
	fake, url, _, card := appCardRig(t, 1)
	xml, _ := fake.TemplateCardEvent("outsider", card.Card.Buttons[0].Key, card.Card.TaskID, nil, testNow)
	click(t, fake, url, xml)
	u := fake.CardUpdates()
	if len(u) != 1 || u[0].Card.MainTitle.Title != "你不能替本单位登记" || len(u[0].Card.Buttons) != 3 {
		t.Fatalf("refusal update %+v, want the refusal with the buttons kept", u)
	}
	if len(u[0].UserIDs) != 1 || u[0].UserIDs[0] != "outsider" {
		t.Errorf("update for %v, want the tapper only", u[0].UserIDs)
	}
}

func TestAppCardFinalLastTaskIsNotice(t *testing.T) {
	fake, url, _, card := appCardRig(t, 1)
	xml, _ := fake.TemplateCardEvent("zhangsan", card.Card.Buttons[0].Key, card.Card.TaskID, nil, testNow)
	click(t, fake, url, xml)
	u := fake.CardUpdates()
	if len(u) != 1 || u[0].Card.CardType != "text_notice" || len(u[0].Card.Buttons) != 0 {
		t.Errorf("update %+v, want a text_notice without buttons", u)
	}
}

func TestAppCardTextWithoutTasks(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	app, _ := NewApp(AppConfig{CorpID: fake.Opts.CorpID, AgentID: fake.Opts.AgentID, Secret: Secret(fake.Opts.Secret), BaseURL: fake.URL})
	if err := app.CardsTo("zhangsan").Send(context.Background(), handlers.Reply{Head: "第76项由住建局牵头"}); err != nil {
		t.Fatal(err)
	}
	if len(fake.Cards()) != 0 || len(fake.Sent()) != 1 || fake.Sent()[0].MsgType != "text" {
		t.Errorf("cards %d, sent %+v: want one text message", len(fake.Cards()), fake.Sent())
	}
}
