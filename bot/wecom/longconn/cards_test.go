package longconn

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/cardtest"
	"duban/bot/wecom"
	"duban/bot/wecom/longconn/longconntest"
	"duban/handlers"
	"duban/kb"
)

// newTestActor records the actions it is asked for and answers with a
// view per verb; users in refuse may not report.
func newTestActor(refuse ...string) *cardtest.Actor {
	return &cardtest.Actor{View: func(c bot.CardAction) bot.CardView {
		if slices.Contains(refuse, c.UserID) {
			return bot.CardView{Title: "你不能替本单位登记", Refused: true}
		}
		return bot.CardView{Title: fmt.Sprintf("%d号 已登记%s，待审核", c.No, c.Verb), Desc: c.UserID}
	}}
}

// digest is cardtest.Digest with a line of text besides the tasks.
func digest(n int) handlers.Reply {
	r := cardtest.Digest(n)
	r.Lines = []string{"…"}
	return r
}

func noAnswer(context.Context, *bot.Message) (handlers.Reply, error) { return handlers.Reply{}, nil }

// cardClient runs a client that handles cards (HandleCards before Run)
// against a fake, until the test ends.
func cardClient(tb testing.TB, act bot.CardActor) (*Client, *longconntest.Server) {
	tb.Helper()
	fake := longconntest.NewServer(tb)
	c, err := New(Config{BotID: longconntest.BotID, Secret: longconntest.Secret, URL: fake.URL}, noAnswer)
	if err != nil {
		tb.Fatal(err)
	}
	c.HandleCards(CardConfig{Actor: act, Dedup: &cardtest.Dedup{}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	tb.Cleanup(func() { cancel(); <-done })
	deadline := time.Now().Add(10 * time.Second)
	for !(c.Connected() && fake.Connected()) {
		if time.Now().After(deadline) {
			tb.Fatal("timed out waiting for the subscription")
		}
		time.Sleep(time.Millisecond)
	}
	return c, fake
}

// cardRig starts a client with cards on a fake and sends one digest card.
func cardRig(t *testing.T, tasks int) (*rig, *cardtest.Actor, longconntest.Card) {
	t.Helper()
	act := newTestActor("lisi")
	c, fake := cardClient(t, act)
	r := &rig{c: c, fake: fake}
	if err := (CardSender{Client: r.c, ChatID: "wrgroup1"}).Send(context.Background(), digest(tasks)); err != nil {
		t.Fatalf("send card: %v", err)
	}
	cards := r.fake.Cards()
	if len(cards) != 1 {
		t.Fatalf("fake got %d cards, want 1", len(cards))
	}
	return r, act, cards[0]
}

func TestCardDigestIsOneCard(t *testing.T) {
	for _, n := range []int{1, 3, 10, 40} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			r, _, c := cardRig(t, n)
			if got := len(r.fake.Pushes()); got != 0 {
				t.Errorf("%d markdown pushes besides the card, want 0", got)
			}
			if c.ChatID != "wrgroup1" || c.Card.CardType != "button_interaction" {
				t.Errorf("card to %q of type %q", c.ChatID, c.Card.CardType)
			}
			if got, want := len(c.Card.Selection.Options), min(n, 10); got != want {
				t.Errorf("picker holds %d tasks, want %d", got, want)
			}
			if n > 10 && !strings.Contains(c.Card.SubTitleText, fmt.Sprintf("另有%d项", n-10)) {
				t.Errorf("sub_title_text %q does not count the tasks left out", c.Card.SubTitleText)
			}
			if got := (CardSender{}).Parts(digest(n)); got != 1 {
				t.Errorf("Parts = %d, want 1", got)
			}
		})
	}
}

func TestCardClickActsAndUpdates(t *testing.T) {
	for _, flat := range []bool{false, true} {
		t.Run(fmt.Sprint("flat=", flat), func(t *testing.T) {
			r, act, c := cardRig(t, 3)
			// The user picks the second task, then taps 已完成.
			click := longconntest.Click{MsgID: "m1", ChatID: "wrgroup1", UserID: "zhangsan", EventKey: c.Card.Buttons[0].Key,
				TaskID: c.Card.TaskID, Selected: map[string]string{c.Card.Selection.QuestionKey: c.Card.Selection.Options[1].ID}, Flat: flat}
			reqID, err := r.fake.Click(click)
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the card update", func() bool { return len(r.fake.Updates()) == 1 })
			// Conversation is the key of zhangsan's messages in that group, where
			// an 申请延期's date would come.
			want := bot.CardAction{Platform: "wecom", ID: "m1", ChatID: "wrgroup1", UserID: "zhangsan", Verb: bot.VerbDone, Table: string(kb.KeyTasks), No: 77,
				Conversation: "wecom_aibot|wrgroup1|zhangsan"}
			if got := act.Actions(); len(got) != 1 || got[0] != want {
				t.Fatalf("actor got %+v, want [%+v]", got, want)
			}
			u := r.fake.Updates()[0]
			if u.ReqID != reqID || u.Card.MainTitle.Title != "77号 已登记done，待审核" || len(u.UserIDs) != 0 {
				t.Errorf("update %+v, want the click's req_id, the view's title, for everyone", u)
			}
			if u.Card.TaskID != c.Card.TaskID || len(u.Card.Selection.Options) != 3 {
				t.Errorf("updated card lost its task_id or picker: %+v", u.Card)
			}
		})
	}
}

// TestCardClickWithoutSelection: without the picker's choice a tap acts
// on the button's task when the card offers it alone, and on a card of
// several tasks asks the tapper to choose instead of guessing.
func TestCardClickWithoutSelection(t *testing.T) {
	r, act, c := cardRig(t, 1)
	if _, err := r.fake.Click(longconntest.Click{MsgID: "m1", UserID: "zhangsan", EventKey: c.Card.Buttons[1].Key, TaskID: c.Card.TaskID}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the card update", func() bool { return len(r.fake.Updates()) == 1 })
	got := act.Actions()
	if len(got) != 1 || got[0].Verb != bot.VerbExtend || got[0].No != 76 || got[0].ChatID != "" {
		t.Errorf("actor got %+v, want 申请延期 on 76 from a single chat", got)
	}

	r2, act2, c2 := cardRig(t, 3)
	r2.fake.Click(longconntest.Click{MsgID: "m2", ChatID: "wrgroup1", UserID: "zhangsan", EventKey: c2.Card.Buttons[0].Key, TaskID: c2.Card.TaskID})
	waitFor(t, "the refusal", func() bool { return len(r2.fake.Updates()) == 1 })
	u := r2.fake.Updates()[0]
	if len(act2.Actions()) != 0 || u.Card.MainTitle.Title != wecom.NoChoiceView.Title || len(u.UserIDs) != 1 || len(u.Card.Selection.Options) != 3 {
		t.Errorf("actor got %+v, update %+v: want no action and the ask to choose, to the tapper, picker kept", act2.Actions(), u)
	}
}

func TestCardReplayedClickActsOnce(t *testing.T) {
	r, act, c := cardRig(t, 1)
	click := longconntest.Click{MsgID: "same", ChatID: "wrgroup1", UserID: "zhangsan", EventKey: c.Card.Buttons[0].Key, TaskID: c.Card.TaskID}
	for range 3 {
		if _, err := r.fake.Click(click); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the card update", func() bool { return len(r.fake.Updates()) == 1 })
	// A later distinct click is the barrier: the replays were handled before it.
	click.MsgID = "other"
	r.fake.Click(click)
	waitFor(t, "the second update", func() bool { return len(r.fake.Updates()) == 2 })
	if got := act.Actions(); len(got) != 2 || got[0].ID != "same" || got[1].ID != "other" {
		t.Errorf("actor got %+v, want one action per msgid", got)
	}
}

func TestCardRefusalShowsToTheTapper(t *testing.T) {
	r, _, c := cardRig(t, 1)
	r.fake.Click(longconntest.Click{MsgID: "m1", ChatID: "wrgroup1", UserID: "lisi", EventKey: c.Card.Buttons[0].Key, TaskID: c.Card.TaskID})
	waitFor(t, "the card update", func() bool { return len(r.fake.Updates()) == 1 })
	u := r.fake.Updates()[0]
	if u.Card.MainTitle.Title != "你不能替本单位登记" || len(u.UserIDs) != 1 || u.UserIDs[0] != "lisi" {
		t.Errorf("refusal update %+v, want the refusal for lisi only", u)
	}
	if len(u.Card.Buttons) != 3 {
		t.Errorf("refused card has %d buttons, want the 3 kept", len(u.Card.Buttons))
	}
}

func TestCardForeignKeyIgnored(t *testing.T) {
	r, act, c := cardRig(t, 1)
	r.fake.Click(longconntest.Click{MsgID: "m1", UserID: "zhangsan", EventKey: "somebody_else", TaskID: c.Card.TaskID})
	r.fake.Click(longconntest.Click{MsgID: "m2", UserID: "zhangsan", EventKey: c.Card.Buttons[2].Key, TaskID: c.Card.TaskID})
	waitFor(t, "the card update", func() bool { return len(r.fake.Updates()) == 1 })
	if got := act.Actions(); len(got) != 1 || got[0].ID != "m2" || got[0].Verb != bot.VerbDetail {
		t.Errorf("actor got %+v, want only the 查看详情 tap", got)
	}
	if u := r.fake.Updates()[0]; len(u.UserIDs) != 1 {
		t.Errorf("details went to %v, want the tapping user only", u.UserIDs)
	}
}

func TestCardSenderMarkdownWithoutTasks(t *testing.T) {
	r := start(t, Config{}, noAnswer, true)
	if err := (CardSender{Client: r.c, ChatID: "wrgroup1"}).Send(context.Background(), answer76); err != nil {
		t.Fatal(err)
	}
	if len(r.fake.Cards()) != 0 || len(r.fake.Pushes()) != 1 {
		t.Errorf("cards %d, pushes %d; want a markdown push only", len(r.fake.Cards()), len(r.fake.Pushes()))
	}
}
