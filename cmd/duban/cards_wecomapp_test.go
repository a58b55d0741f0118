package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/wecom"
	"duban/bot/wecom/wecomtest"
)

// TestServeCardReviewWeComApp runs the review loop with the reviewer's
// cards sent 1:1 by the WeCom self-built app: 住建局's group reports
// 76号已完成 through the 智能机器人, the review request reaches the
// reviewer as a template_card by message/send, and the reviewer's tap
// (the encrypted XML event) is decided and the card replaced with
// update_template_card on the click's response_code; WeCom resending the
// event changes nothing.
func TestServeCardReviewWeComApp(t *testing.T) {
	wc, s, _ := e2eStartWeComCards(t, true, false, `review:
  enabled: true
  chats: [督查办群]
  users: [dcbuser]
cards:
  routes:
    - chat: 督查办群
      wecom_user: dcbuser
`)

	// 住建局's group reports through the 智能机器人.
	plain := wecomtest.AIBotText("aibotclaim1", "cidzjj", "wangwu", "@督办助手 76号已完成", wc.ResponseURL())
	e2eAIBotPost(t, wc, s, "claim", "nonceclaim", plain)
	card := e2eWaitCount(t, "the review card to dcbuser", wc.Cards, 1)[0]
	t.Logf("review card to %s: %q, buttons %+v", card.ToUser, card.Card.MainTitle.Title, card.Card.Buttons)
	if card.ToUser != "dcbuser" || len(card.Card.Buttons) != 2 || card.Card.Buttons[0].Key != bot.CardKey(bot.VerbApprove, "key_tasks", 76) {
		t.Fatalf("review card %+v, want 通过/退回 on 76 to dcbuser", card)
	}

	xml, code := wc.TemplateCardEvent("dcbuser", card.Card.Buttons[0].Key, card.Card.TaskID,
		map[string]string{wecom.CardQuestionKey: card.Card.Selection.Options[0].ID}, time.Now())
	for i := range 2 { // WeCom resends an event it thinks unanswered
		e2eAppPost(t, wc, s, fmt.Sprint("tap ", i), fmt.Sprint("noncetap", i), xml)
	}
	u := e2eWaitCount(t, "the card update", wc.CardUpdates, 1)[0]
	t.Logf("decision: %q / %q (%s)", u.Card.MainTitle.Title, u.Card.MainTitle.Desc, u.Card.CardType)
	if u.ResponseCode != code || len(u.UserIDs) != 1 || u.UserIDs[0] != "dcbuser" || u.Card.MainTitle.Title == card.Card.MainTitle.Title {
		t.Errorf("update %+v, want the decision on dcbuser's card with the click's response_code", u)
	}
}

// TestServeAppCardContactTap: with serve running, `remind --send` (run by
// serve over its local socket) sends 住建局's digest as a card 1:1 to the
// unit's contact; the contact's 已完成 on it speaks for 住建局's group and
// is recorded, not refused.
func TestServeAppCardContactTap(t *testing.T) {
	wc, s, cfg := e2eStartWeComCards(t, false, true, "cards:\n  routes:\n    - chat: 住建局工作群\n      wecom_user: zjjcontact\n")

	e2eRemindSendWhileServing(t, cfg)
	cards := wc.Cards()
	if len(cards) != 1 || cards[0].ToUser != "zjjcontact" {
		t.Fatalf("cards %+v, want the digest as one card to zjjcontact", cards)
	}
	card := cards[0].Card
	// A task 住建局 leads: a co-unit's copy is refused, rightly.
	no, _ := e2eZJJLedOption(t, &card)
	if no == "" {
		t.Fatalf("住建局 leads none of the card's tasks %+v", card.Selection.Options)
	}
	xml, _ := wc.TemplateCardEvent("zjjcontact", card.Buttons[0].Key, card.TaskID, map[string]string{wecom.CardQuestionKey: no}, time.Now())
	e2eAppPost(t, wc, s, "tap", "noncezjj", xml)
	u := e2eWaitCount(t, "the card update", wc.CardUpdates, 1)[0]
	t.Logf("tap on %s: %q / %q", no, u.Card.MainTitle.Title, u.Card.MainTitle.Desc)
	if strings.HasPrefix(u.Card.MainTitle.Title, "未记录") || u.Card.MainTitle.Desc == "" {
		t.Errorf("the contact's tap was not recorded: %+v", u.Card.MainTitle)
	}
}

// TestServeAppCardDecisionUpdatesUnitCard: with review on, the contact's
// 已完成 on an app card of one task is answered by renaming the tapped button (the
// passive update_button, no response_code spent); when the reviewer then
// types 办结 to the app, the unit's card shows the decision through
// message/update_template_card with that tap's response_code.
func TestServeAppCardDecisionUpdatesUnitCard(t *testing.T) {
	wc, s, cfg := e2eStartWeComCards(t, false, true, "review:\n  enabled: true\n  users: [dcbuser]\ncards:\n  routes:\n    - chat: 住建局工作群\n      wecom_user: zjjcontact\n")
	e2eRemindSendWhileServing(t, cfg)
	cards := wc.Cards()
	if len(cards) != 1 {
		t.Fatalf("cards %+v, want the digest as one card", cards)
	}
	card := cards[0].Card
	opt, no := e2eZJJLedOption(t, &card)
	if opt == "" {
		t.Fatalf("住建局 leads none of the card's tasks %+v", card.Selection.Options)
	}
	// A card of that task alone (a digest of one): only such a card keeps
	// its code for the decision, since renaming buttons disables them all.
	table, _, _ := strings.Cut(opt, ":")
	one := "vdei_t1@" + table + "-" + strconv.Itoa(no)
	xml, code := wc.TemplateCardEvent("zjjcontact", bot.CardKey(bot.VerbDone, table, no), one, nil, time.Now())
	body := e2eAppPost(t, wc, s, "tap", "noncetap", xml)
	plain, err := wc.App.OpenXMLReply(body, "noncetap")
	if err != nil || !strings.Contains(string(plain), "update_button") || !strings.Contains(string(plain), "待审核") {
		t.Fatalf("tap's passive reply %s (%v), want the button renamed", plain, err)
	}
	if n := len(wc.CardUpdates()); n != 0 {
		t.Fatalf("%d API updates after the tap, want none (the code is kept for the decision)", n)
	}

	msg := wecomtest.TextMessage(wc.Opts.CorpID, "dcbuser", fmt.Sprintf("办结%d号", no), "msg-close", wc.Opts.AgentID, time.Now())
	e2eAppPost(t, wc, s, "decision", "nonceclose", msg)
	u := e2eWaitCount(t, "the unit's card updated", wc.CardUpdates, 1)[0]
	t.Logf("unit's card after the decision: %q / %q", u.Card.MainTitle.Title, u.Card.MainTitle.Desc)
	if u.ResponseCode != code || fmt.Sprint(u.UserIDs) != "[zjjcontact]" || u.Card == nil || !strings.Contains(u.Card.MainTitle.Title, "已办结") || u.Card.TaskID != one {
		t.Errorf("update %+v, want 已办结 on zjjcontact's card with the tap's response_code", u)
	}
}

// TestServeAppCardExtensionByReply: the contact's 申请延期 on the app card
// records nothing and asks for the date on the card; the contact's next
// 1:1 message to the app ("10月底，原因：…") is the request, recorded for
// 住建局's group the card speaks for.
func TestServeAppCardExtensionByReply(t *testing.T) {
	wc, s, cfg := e2eStartWeComCards(t, false, true, "review:\n  enabled: true\n  users: [dcbuser]\ncards:\n  routes:\n    - chat: 住建局工作群\n      wecom_user: zjjcontact\n")
	e2eRemindSendWhileServing(t, cfg)
	card := wc.Cards()[0].Card
	opt, _ := e2eZJJLedOption(t, &card)
	extend := ""
	for _, bt := range card.Buttons {
		if strings.HasPrefix(bt.Key, bot.VerbExtend+":") {
			extend = bt.Key
		}
	}
	if opt == "" || extend == "" {
		t.Fatalf("no 住建局 task or no 申请延期 button on %+v", card)
	}
	xml, _ := wc.TemplateCardEvent("zjjcontact", extend, card.TaskID, map[string]string{wecom.CardQuestionKey: opt}, time.Now())
	e2eAppPost(t, wc, s, "tap", "nonceext", xml)
	u := e2eWaitCount(t, "the card asking for the date", wc.CardUpdates, 1)[0]
	t.Logf("asking card: %q / %q", u.Card.MainTitle.Title, u.Card.SubTitleText)
	if !strings.Contains(u.Card.MainTitle.Title, "申请延期") || !strings.Contains(u.Card.SubTitleText, "请回复新的完成时间") {
		t.Errorf("update %+v, want the task named and the date asked for", u.Card)
	}

	msg := wecomtest.TextMessage(wc.Opts.CorpID, "zjjcontact", "10月底，原因：资金未到位", "msg-date", wc.Opts.AgentID, time.Now())
	body := e2eAppPost(t, wc, s, "date", "noncedate", msg)
	plain, err := wc.App.OpenXMLReply(body, "noncedate")
	if err != nil {
		t.Fatalf("date's reply: %v\n%s", err, body)
	}
	t.Logf("reply: %s", plain)
	for _, w := range []string{"已记录", "10月底", "资金未到位"} {
		if !strings.Contains(string(plain), w) {
			t.Errorf("reply %s, want %q", plain, w)
		}
	}
}
