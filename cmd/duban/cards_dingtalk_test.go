package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"duban/bot/dingtalk"
	"duban/bot/dingtalk/dingtalktest"
)

// TestServeCardReviewLoopDingTalk is the loop of issue 18 on DingTalk
// through `duban serve`: the unit's tap on its interactive card comes over
// Stream and the answer frame shows 待审核; the review request is
// delivered to the 督查办's group as a card (createAndDeliver with the
// configured template, the reviewers' buttons on); the reviewer's 通过 over
// Stream answers 已办结 and the unit's card is updated to show it (PUT by
// its outTrackId); a replayed frame is answered without a second update.
func TestServeCardReviewLoopDingTalk(t *testing.T) {
	seeds := seedsDir(t)
	gw := dingtalktest.NewStreamGateway(t)
	dt := dingtalktest.NewServer(t)
	dt.AddRobot("tok-zjj", "SECzjj")
	dt.AddRobot("tok-dcb", "SECdcb")
	dir := t.TempDir()
	cfg := e2eWriteConfig(t, dir, fmt.Sprintf("data_dir: %q\n", filepath.Join(dir, "data"))+e2eDingTalkStreamYAML(dt, gw)+`chats:
  - name: 住建局群
    type: dingtalk_webhook
    access_token: tok-zjj
    secret: SECzjj
    units: [住建局]
    conversation_ids: [cidzjj]
  - name: 督查办群
    type: dingtalk_webhook
    access_token: tok-dcb
    secret: SECdcb
    conversation_ids: [ciddcb]
review:
  enabled: true
  chats: [督查办群]
cards:
  dingtalk:
    template_id: tpl-duban.schema
  routes:
    - chat: 住建局群
      dingtalk_conversation_id: cidzjj
    - chat: 督查办群
      dingtalk_conversation_id: ciddcb
`)
	e2eStartServe(t, seeds, cfg)
	e2eEventually(t, "the stream", func() (bool, string) { return gw.Connected(), "not connected" })

	answer := func(id string) dingtalktest.CardAnswer {
		t.Helper()
		e2eEventually(t, "the answer frame of "+id, func() (bool, string) {
			return len(gw.CardAnswers(id)) == 1, fmt.Sprintf("acks %+v", gw.Acks())
		})
		return gw.CardAnswers(id)[0]
	}
	// The unit's reminder card, as `remind` delivers it, so that DingTalk
	// knows its outTrackId when the decision updates it.
	api, err := dingtalk.NewCardAPI(dingtalk.CardAPIConfig{AppKey: dingtalktest.StreamClientID,
		AppSecret: dingtalktest.StreamClientSecret, BaseURL: gw.URL})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Deliver(t.Context(), dingtalk.CardDelivery{TemplateID: "tpl-duban.schema", OutTrackID: "duban-unit",
		OpenConversationID: "cidzjj", Params: map[string]string{"task": "key_tasks:76"}}); err != nil {
		t.Fatal(err)
	}
	claimID, err := gw.PushCardClick(dingtalktest.CardClick{OutTrackID: "duban-unit", UserID: "wangwu", ConversationID: "cidzjj",
		ActionID: "done", Params: map[string]string{"task": "key_tasks:76"}})
	if err != nil {
		t.Fatal(err)
	}
	claim := answer(claimID)
	review := e2eWaitCount(t, "the review card", gw.DeliveredCards, 2)[1]
	t.Logf("claim: %q; review card: %q %v", claim.Public["status"], review.Params["title"], review.Params["verbs"])
	if review.TemplateID != "tpl-duban.schema" || review.OpenSpaceID != "dtv1.card//IM_GROUP.ciddcb" ||
		review.Params["claimActions"] != "true" || review.Params["task"] != "key_tasks:76" {
		t.Fatalf("review card %+v, want the template in 督查办群 with 通过/退回 on 76", review)
	}

	okID, err := gw.PushCardClick(dingtalktest.CardClick{OutTrackID: review.OutTrackID, UserID: "dcb1", ConversationID: "ciddcb",
		ActionID: "approve", Params: map[string]string{"task": review.Params["task"]}})
	if err != nil {
		t.Fatal(err)
	}
	ok := answer(okID)
	t.Logf("approval: %q / %q (done %s)", ok.Public["status"], ok.Public["statusDesc"], ok.Public["done"])
	if ok.Public["status"] == "" || ok.Public["status"] == claim.Public["status"] || ok.Private != nil {
		t.Errorf("approval answer %+v, want the decision on the public card", ok)
	}

	// The unit's card shows the decision too: PUT /v1.0/card/instances on
	// the outTrackId its tap came with, once.
	if u := e2eWaitCount(t, "the unit's card updated", gw.CardUpdates, 1)[0]; u.OutTrackID != "duban-unit" || !strings.Contains(u.Params["status"], "已办结") || u.Params["done"] != "true" {
		t.Errorf("unit's card update %+v, want 已办结 on duban-unit", u)
	}

	// The gateway redelivers an event it thinks unanswered: one update only.
	if err := gw.Redeliver(okID); err != nil {
		t.Fatal(err)
	}
	e2eEventually(t, "the replay answered", func() (bool, string) {
		n := 0
		for _, a := range gw.Acks() {
			if a.MessageID == okID {
				n++
			}
		}
		return n == 2, fmt.Sprintf("%d answers", n)
	})
	if n := len(gw.CardAnswers(okID)); n != 1 {
		t.Errorf("%d answers to the replayed frame carried an update, want 1", n)
	}
	if n := len(gw.CardUpdates()); n != 1 {
		t.Errorf("%d later updates of the unit's card, want 1", n)
	}
}
