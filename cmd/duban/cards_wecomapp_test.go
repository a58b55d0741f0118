package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/wecom"
	"duban/bot/wecom/wecomtest"
	"duban/kb"
	"duban/kb/names"
)

// TestServeCardReviewWeComApp runs the review loop with the reviewer's
// cards sent 1:1 by the WeCom self-built app: 住建局's group reports
// 76号已完成 through the 智能机器人, the review request reaches the
// reviewer as a template_card by message/send, and the reviewer's tap
// (the encrypted XML event) is decided and the card replaced with
// update_template_card on the click's response_code; WeCom resending the
// event changes nothing.
func TestServeCardReviewWeComApp(t *testing.T) {
	seeds := seedsDir(t)
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: []string{"k-zjj", "k-dcb"}})
	dir := t.TempDir()
	chats := []e2eChat{
		{Name: "住建局工作群", Type: "wecom_webhook", Key: "k-zjj", Units: []string{"住建局"}, ConversationIDs: []string{"cidzjj"}},
		{Name: "督查办群", Type: "wecom_webhook", Key: "k-dcb"},
	}
	cfg := e2eConfig{DataDir: filepath.Join(dir, "data"), WeCom: wc, Chats: chats}.write(t, dir)
	extra := `review:
  enabled: true
  chats: [督查办群]
  users: [dcbuser]
cards:
  routes:
    - chat: 督查办群
      wecom_user: dcbuser
`
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(extra)
	f.Close()
	s := e2eStartServe(t, seeds, cfg)

	// 住建局's group reports through the 智能机器人.
	plain := wecomtest.AIBotText("aibotclaim1", "cidzjj", "wangwu", "@督办助手 76号已完成", wc.ResponseURL())
	cb, err := wc.AIBot.EncryptedJSONCallback(s.URL+"/wecom/aibot", time.Now(), "nonceclaim", plain)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, err := cb.Send(t.Context(), e2eClient); err != nil || status != http.StatusOK {
		t.Fatalf("claim: %d %v", status, err)
	}
	var card wecomtest.SentCard
	e2eEventually(t, "the review card to dcbuser", func() (bool, string) {
		cs := wc.Cards()
		if len(cs) == 1 {
			card = cs[0]
		}
		return len(cs) == 1, fmt.Sprintf("cards %+v, sent %+v", cs, wc.Sent())
	})
	t.Logf("review card to %s: %q, buttons %+v", card.ToUser, card.Card.MainTitle.Title, card.Card.Buttons)
	if card.ToUser != "dcbuser" || len(card.Card.Buttons) != 2 || card.Card.Buttons[0].Key != bot.CardKey(bot.VerbApprove, "key_tasks", 76) {
		t.Fatalf("review card %+v, want 通过/退回 on 76 to dcbuser", card)
	}

	xml, code := wc.TemplateCardEvent("dcbuser", card.Card.Buttons[0].Key, card.Card.TaskID,
		map[string]string{wecom.CardQuestionKey: card.Card.Selection.Options[0].ID}, time.Now())
	for i := range 2 { // WeCom resends an event it thinks unanswered
		ev, err := wc.App.EncryptedCallback(s.URL+"/wecom/app", time.Now(), fmt.Sprint("noncetap", i), wc.Opts.AgentID, xml)
		if err != nil {
			t.Fatal(err)
		}
		if status, _, err := ev.Send(t.Context(), e2eClient); err != nil || status != http.StatusOK {
			t.Fatalf("tap %d: %d %v", i, status, err)
		}
	}
	e2eEventually(t, "the card update", func() (bool, string) {
		u := wc.CardUpdates()
		return len(u) == 1, fmt.Sprintf("updates %+v", u)
	})
	u := wc.CardUpdates()[0]
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
	seeds := seedsDir(t)
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: []string{"k-zjj"}})
	dir := t.TempDir()
	chats := []e2eChat{{Name: "住建局工作群", Type: "wecom_webhook", Key: "k-zjj", Units: []string{"住建局"}, ConversationIDs: []string{"cidzjj"}}}
	cfg := e2eConfig{DataDir: filepath.Join(dir, "data"), WeCom: wc, Chats: chats, Reminders: true}.write(t, dir)
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("cards:\n  routes:\n    - chat: 住建局工作群\n      wecom_user: zjjcontact\n")
	f.Close()
	s := e2eStartServe(t, seeds, cfg)

	if out, stderr, err := runCLI(t, "", "remind", "--config", cfg, "--now", e2eTickNow, "--send"); err != nil {
		t.Fatalf("remind --send while serving: %v\n%s%s", err, out, stderr)
	}
	cards := wc.Cards()
	if len(cards) != 1 || cards[0].ToUser != "zjjcontact" {
		t.Fatalf("cards %+v, want the digest as one card to zjjcontact", cards)
	}
	card := cards[0].Card
	// A task 住建局 leads: a co-unit's copy is refused, rightly.
	b := e2eSeedsBase(t)
	no := ""
	for _, o := range card.Selection.Options {
		table, n, _ := strings.Cut(o.ID, ":")
		k, _ := strconv.Atoi(n)
		if r, ok := b.Task(kb.Table(table), k); ok && slices.ContainsFunc(r.LeadUnits, func(u string) bool { return names.Unit(u) == "住建局" }) {
			no = o.ID
			break
		}
	}
	if no == "" {
		t.Fatalf("住建局 leads none of the card's tasks %+v", card.Selection.Options)
	}
	xml, _ := wc.TemplateCardEvent("zjjcontact", card.Buttons[0].Key, card.TaskID, map[string]string{wecom.CardQuestionKey: no}, time.Now())
	ev, err := wc.App.EncryptedCallback(s.URL+"/wecom/app", time.Now(), "noncezjj", wc.Opts.AgentID, xml)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, err := ev.Send(t.Context(), e2eClient); err != nil || status != http.StatusOK {
		t.Fatalf("tap: %d %v", status, err)
	}
	e2eEventually(t, "the card update", func() (bool, string) {
		u := wc.CardUpdates()
		return len(u) == 1, fmt.Sprintf("updates %+v", u)
	})
	u := wc.CardUpdates()[0]
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
	seeds := seedsDir(t)
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: []string{"k-zjj"}})
	dir := t.TempDir()
	chats := []e2eChat{{Name: "住建局工作群", Type: "wecom_webhook", Key: "k-zjj", Units: []string{"住建局"}, ConversationIDs: []string{"cidzjj"}}}
	cfg := e2eConfig{DataDir: filepath.Join(dir, "data"), WeCom: wc, Chats: chats, Reminders: true}.write(t, dir)
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("review:\n  enabled: true\n  users: [dcbuser]\ncards:\n  routes:\n    - chat: 住建局工作群\n      wecom_user: zjjcontact\n")
	f.Close()
	s := e2eStartServe(t, seeds, cfg)
	if out, stderr, err := runCLI(t, "", "remind", "--config", cfg, "--now", e2eTickNow, "--send"); err != nil {
		t.Fatalf("remind --send while serving: %v\n%s%s", err, out, stderr)
	}
	cards := wc.Cards()
	if len(cards) != 1 {
		t.Fatalf("cards %+v, want the digest as one card", cards)
	}
	card := cards[0].Card
	b := e2eSeedsBase(t)
	opt, no := "", 0
	for _, o := range card.Selection.Options {
		table, n, _ := strings.Cut(o.ID, ":")
		k, _ := strconv.Atoi(n)
		if r, ok := b.Task(kb.Table(table), k); ok && slices.ContainsFunc(r.LeadUnits, func(u string) bool { return names.Unit(u) == "住建局" }) {
			opt, no = o.ID, k
			break
		}
	}
	if opt == "" {
		t.Fatalf("住建局 leads none of the card's tasks %+v", card.Selection.Options)
	}
	// A card of that task alone (a digest of one): only such a card keeps
	// its code for the decision, since renaming buttons disables them all.
	table, _, _ := strings.Cut(opt, ":")
	one := "vdei_t1@" + table + "-" + strconv.Itoa(no)
	xml, code := wc.TemplateCardEvent("zjjcontact", bot.CardKey(bot.VerbDone, table, no), one, nil, time.Now())
	ev, err := wc.App.EncryptedCallback(s.URL+"/wecom/app", time.Now(), "noncetap", wc.Opts.AgentID, xml)
	if err != nil {
		t.Fatal(err)
	}
	status, body, err := ev.Send(t.Context(), e2eClient)
	if err != nil || status != http.StatusOK {
		t.Fatalf("tap: %d %v", status, err)
	}
	plain, err := wc.App.OpenXMLReply(body, "noncetap")
	if err != nil || !strings.Contains(string(plain), "update_button") || !strings.Contains(string(plain), "待审核") {
		t.Fatalf("tap's passive reply %s (%v), want the button renamed", plain, err)
	}
	if n := len(wc.CardUpdates()); n != 0 {
		t.Fatalf("%d API updates after the tap, want none (the code is kept for the decision)", n)
	}

	msg := wecomtest.TextMessage(wc.Opts.CorpID, "dcbuser", fmt.Sprintf("办结%d号", no), "msg-close", wc.Opts.AgentID, time.Now())
	ev, err = wc.App.EncryptedCallback(s.URL+"/wecom/app", time.Now(), "nonceclose", wc.Opts.AgentID, msg)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, err := ev.Send(t.Context(), e2eClient); err != nil || status != http.StatusOK {
		t.Fatalf("decision: %d %v", status, err)
	}
	e2eEventually(t, "the unit's card updated", func() (bool, string) {
		u := wc.CardUpdates()
		return len(u) == 1, fmt.Sprintf("updates %+v", u)
	})
	u := wc.CardUpdates()[0]
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
	seeds := seedsDir(t)
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: []string{"k-zjj"}})
	dir := t.TempDir()
	chats := []e2eChat{{Name: "住建局工作群", Type: "wecom_webhook", Key: "k-zjj", Units: []string{"住建局"}, ConversationIDs: []string{"cidzjj"}}}
	cfg := e2eConfig{DataDir: filepath.Join(dir, "data"), WeCom: wc, Chats: chats, Reminders: true}.write(t, dir)
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("review:\n  enabled: true\n  users: [dcbuser]\ncards:\n  routes:\n    - chat: 住建局工作群\n      wecom_user: zjjcontact\n")
	f.Close()
	s := e2eStartServe(t, seeds, cfg)
	if out, stderr, err := runCLI(t, "", "remind", "--config", cfg, "--now", e2eTickNow, "--send"); err != nil {
		t.Fatalf("remind --send while serving: %v\n%s%s", err, out, stderr)
	}
	card := wc.Cards()[0].Card
	b := e2eSeedsBase(t)
	opt := ""
	for _, o := range card.Selection.Options {
		table, n, _ := strings.Cut(o.ID, ":")
		k, _ := strconv.Atoi(n)
		if r, ok := b.Task(kb.Table(table), k); ok && slices.ContainsFunc(r.LeadUnits, func(u string) bool { return names.Unit(u) == "住建局" }) {
			opt = o.ID
			break
		}
	}
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
	ev, err := wc.App.EncryptedCallback(s.URL+"/wecom/app", time.Now(), "nonceext", wc.Opts.AgentID, xml)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, err := ev.Send(t.Context(), e2eClient); err != nil || status != http.StatusOK {
		t.Fatalf("tap: %d %v", status, err)
	}
	e2eEventually(t, "the card asking for the date", func() (bool, string) {
		u := wc.CardUpdates()
		return len(u) == 1, fmt.Sprintf("updates %+v", u)
	})
	u := wc.CardUpdates()[0]
	t.Logf("asking card: %q / %q", u.Card.MainTitle.Title, u.Card.SubTitleText)
	if !strings.Contains(u.Card.MainTitle.Title, "申请延期") || !strings.Contains(u.Card.SubTitleText, "请回复新的完成时间") {
		t.Errorf("update %+v, want the task named and the date asked for", u.Card)
	}

	msg := wecomtest.TextMessage(wc.Opts.CorpID, "zjjcontact", "10月底，原因：资金未到位", "msg-date", wc.Opts.AgentID, time.Now())
	ev, err = wc.App.EncryptedCallback(s.URL+"/wecom/app", time.Now(), "noncedate", wc.Opts.AgentID, msg)
	if err != nil {
		t.Fatal(err)
	}
	status, body, err := ev.Send(t.Context(), e2eClient)
	if err != nil || status != http.StatusOK {
		t.Fatalf("date: %d %v", status, err)
	}
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
