package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/wecom/longconn/longconntest"
)

// TestServeCardTapsOverLongConnection runs `duban serve` on the seeds with
// 住建局's group reached through the WeCom 智能机器人 long connection and
// its digests routed as cards, then taps a card as WeCom would: the tap is
// recorded against 76号 (a question in the group then reads 已完成), the
// card is updated in place on the event's req_id, a replayed event is
// acted on once, and a tap from a group that does not speak for 住建局 is
// refused on the tapper's card.
func TestServeCardTapsOverLongConnection(t *testing.T) {
	fake, s := e2eStartLongConn(t, false)

	taskID := "vdei_t1@key_tasks-76" // a card offering 76号 alone: no picker choice needed
	done := bot.CardKey(bot.VerbDone, "key_tasks", 76)
	reqID, err := fake.Click(longconntest.Click{MsgID: "evt-1", ChatID: "wrzjj", UserID: "wangwu", EventKey: done, TaskID: taskID})
	if err != nil {
		t.Fatal(err)
	}
	u := e2eWaitCount(t, "the card update", fake.Updates, 1)[0]
	if u.ReqID != reqID || u.Card.TaskID != taskID || !strings.Contains(u.Card.MainTitle.Title, "76") || len(u.UserIDs) != 0 {
		t.Errorf("update %+v: want the click's req_id and task_id, a title on 76号, for the whole group", u)
	}

	// WeCom may deliver the same event again: no second action, no update.
	if _, err := fake.Click(longconntest.Click{MsgID: "evt-1", ChatID: "wrzjj", UserID: "wangwu", EventKey: done, TaskID: taskID}); err != nil {
		t.Fatal(err)
	}
	// A group that speaks for no unit of 76号 is refused on the tapper's card.
	if _, err := fake.Click(longconntest.Click{MsgID: "evt-2", ChatID: "wrother", UserID: "zhaoliu", EventKey: done, TaskID: taskID}); err != nil {
		t.Fatal(err)
	}
	r := e2eWaitCount(t, "the refusal", fake.Updates, 2)[1]
	t.Logf("claim card: %q / %q; refusal: %q", u.Card.MainTitle.Title, u.Card.MainTitle.Desc, r.Card.MainTitle.Title)
	if len(r.UserIDs) != 1 || r.UserIDs[0] != "zhaoliu" || len(r.Card.Buttons) == 0 {
		t.Errorf("refusal %+v: want it shown to zhaoliu only, buttons kept", r)
	}

	// The claim is in the journal: the group's question reads it.
	e2eLongConnPush(t, fake, longconntest.Message{MsgID: "q-1", ChatID: "wrzjj", UserID: "wangwu", Text: "@督办助手 76号谁牵头"})
	e2eEventually(t, "the answer", func() (bool, string) {
		rs := fake.Replies()
		return len(rs) == 1 && strings.Contains(rs[0].Content, "已完成"), fmt.Sprintf("replies %+v", rs)
	})
	if n := len(fake.Updates()); n != 2 {
		t.Errorf("%d card updates, want 2 (the replayed event acted on once)", n)
	}
	_ = s
}

// TestServeCardReviewLoop closes the loop of issue 18 through `duban
// serve` over the long connection: a unit taps 已完成 on its card, the
// claim waits for review, the review request reaches the 督查办's group as
// a card with 通过 / 退回, the reviewer taps 通过 on it, and the task reads
// as closed.
func TestServeCardReviewLoop(t *testing.T) {
	fake, _ := e2eStartLongConn(t, true)

	if _, err := fake.Click(longconntest.Click{MsgID: "evt-claim", ChatID: "wrzjj", UserID: "wangwu",
		EventKey: bot.CardKey(bot.VerbDone, "key_tasks", 76), TaskID: "vdei_t1@key_tasks-76"}); err != nil {
		t.Fatal(err)
	}
	// The review request goes out while the tap is decided; the card's
	// update follows the decision.
	e2eWaitCount(t, "the claim's card update", fake.Updates, 1)
	review := e2eLongConnCardTo(t, fake, "wrdcb")
	claim := fake.Updates()[0]
	t.Logf("claim: %q; review card: %q, buttons %+v", claim.Card.MainTitle.Title, review.Card.MainTitle.Title, review.Card.Buttons)
	if len(review.Card.Buttons) != 2 || review.Card.Buttons[0].Key != bot.CardKey(bot.VerbApprove, "key_tasks", 76) {
		t.Fatalf("review card buttons %+v, want 通过 and 退回 on 76", review.Card.Buttons)
	}

	// A unit may not approve its own claim; the reviewer may.
	for _, k := range []longconntest.Click{
		{MsgID: "evt-self", ChatID: "wrzjj", UserID: "wangwu", EventKey: review.Card.Buttons[0].Key, TaskID: review.Card.TaskID},
		{MsgID: "evt-ok", ChatID: "wrdcb", UserID: "dcb1", EventKey: review.Card.Buttons[0].Key, TaskID: review.Card.TaskID},
	} {
		sig := fake.UpdateSignal()
		if _, err := fake.Click(k); err != nil {
			t.Fatal(err)
		}
		select {
		case <-sig:
		case <-time.After(e2ePollTimeout):
			t.Fatalf("no update for %s", k.MsgID)
		}
	}
	ups := fake.Updates()
	self, ok := ups[len(ups)-2], ups[len(ups)-1]
	t.Logf("self-approval: %q; approval: %q / %q", self.Card.MainTitle.Title, ok.Card.MainTitle.Title, ok.Card.MainTitle.Desc)
	if len(self.UserIDs) != 1 || self.UserIDs[0] != "wangwu" {
		t.Errorf("self-approval update %+v, want a refusal shown to wangwu only", self)
	}
	if len(ok.UserIDs) != 0 || ok.Card.MainTitle.Title == self.Card.MainTitle.Title {
		t.Errorf("approval update %+v, want the decision for the whole group", ok)
	}

	e2eLongConnPush(t, fake, longconntest.Message{MsgID: "q-1", ChatID: "wrzjj", UserID: "wangwu", Text: "@督办助手 76号谁牵头"})
	e2eEventually(t, "the answer", func() (bool, string) {
		rs := fake.Replies()
		return len(rs) == 1 && strings.Contains(rs[0].Content, "办结"), fmt.Sprintf("replies %+v", rs)
	})
}
