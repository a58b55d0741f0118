package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"duban/bot/dingtalk/dingtalktest"
	"duban/bot/wecom/wecomtest"
)

// TestRemindSendsCards runs the reminder tick of e2eTickNow with
// `remind --send` on the seeds, with 住建局's DingTalk group routed to an
// interactive card and 交通局's digest routed to its contact through the
// WeCom app: each digest is exactly one card carrying the digest's tasks,
// and the groups' webhooks get nothing (the card is the reminder).
func TestRemindSendsCards(t *testing.T) {
	seeds := seedsDir(t)
	gw := dingtalktest.NewStreamGateway(t)
	dt := dingtalktest.NewServer(t)
	dt.AddRobot("tok-zjj", "SECzjj")
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: []string{"k-jtj"}})
	dir := t.TempDir()
	yaml := fmt.Sprintf(`data_dir: %q
wecom:
  corp_id: %q
  api_base_url: %q
  app:
    agent_id: %d
    secret: %q
    token: %q
    encoding_aes_key: %q
`, filepath.Join(dir, "data"), wc.Opts.CorpID, wc.URL, wc.Opts.AgentID, wc.Opts.Secret, wc.App.Token, wc.App.EncodingAESKey) +
		e2eDingTalkStreamYAML(dt, gw) + `chats:
  - name: 住建局群
    type: dingtalk_webhook
    access_token: tok-zjj
    secret: SECzjj
    units: [住建局]
  - name: 交通局群
    type: wecom_webhook
    webhook_key: k-jtj
    units: [交通局]
reminders:
  - cron: "0 9 * * 1-5"
    days_before: [30, 7, 1]
    overdue_every_days: 7
    co_units: true
    collective_co_units: true
cards:
  dingtalk:
    template_id: tpl-duban.schema
  routes:
    - chat: 住建局群
      dingtalk_conversation_id: cidzjj
    - chat: 交通局群
      wecom_user: jtjcontact
`
	cfg := e2eWriteConfig(t, dir, yaml)
	if _, stderr, err := runCLI(t, "", "remind", "--send", "--now", e2eTickNow, "--docs", seeds, "--config", cfg); err != nil {
		t.Fatalf("remind --send: %v\n%s", err, stderr)
	}

	dcards := gw.DeliveredCards()
	if len(dcards) != 1 || dcards[0].OpenSpaceID != "dtv1.card//IM_GROUP.cidzjj" {
		t.Fatalf("DingTalk cards %+v, want one to cidzjj", dcards)
	}
	var opts []struct{ Text, Value string }
	if err := json.Unmarshal([]byte(dcards[0].Params["taskOptions"]), &opts); err != nil || len(opts) == 0 {
		t.Errorf("住建局's card lists no tasks: %q", dcards[0].Params["taskOptions"])
	}
	t.Logf("住建局 card: %q, %d tasks in the picker; first %v", dcards[0].Params["title"], len(opts), opts[0])
	wcards := wc.Cards()
	if len(wcards) != 1 || wcards[0].ToUser != "jtjcontact" || wcards[0].Card.Selection == nil {
		t.Fatalf("WeCom app cards %+v, want one with a task picker to jtjcontact", wcards)
	}
	t.Logf("交通局 card: %q, %d tasks in the picker, buttons %d", wcards[0].Card.MainTitle.Title, len(wcards[0].Card.Selection.Options), len(wcards[0].Card.Buttons))
	if n := len(dt.Sent()); n != 0 {
		t.Errorf("住建局's webhook got %d messages besides the card", n)
	}
	for _, s := range wc.Sent() {
		if s.Endpoint == wecomtest.Webhook {
			t.Errorf("交通局's webhook got %q besides the card", s.Content)
		}
	}
}
