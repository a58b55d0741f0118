package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban/bot/dingtalk/dingtalktest"
	"duban/bot/wecom/wecomtest"
	"duban/scheduler"
)

// TestServeUrge sends 催办 through a running serve: refused from a unit's
// chat, sent from the 督查办's to the lead unit's WeCom group robot at once
// (one post per urging, the same message redelivered is not urged twice),
// counted, and shown in the task's answer with its colour; the unit's task
// list shows the colours.
func TestServeUrge(t *testing.T) {
	seeds := seedsDir(t)
	dt := dingtalktest.NewServer(t)
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: []string{"k-zjj", "k-dc"}})
	dir := t.TempDir()
	chats := []e2eChat{
		{Name: "住建局工作群", Type: "wecom_webhook", Key: "k-zjj", Units: []string{"住建局"}, ConversationIDs: []string{"cidzjj"}},
		{Name: "督查办群", Type: "wecom_webhook", Key: "k-dc", ConversationIDs: []string{"ciddc"}},
	}
	cfgPath := e2eConfig{DataDir: filepath.Join(dir, "data"), DingTalk: dt, WeCom: wc, Chats: chats}.write(t, dir)
	e2eAppendConfig(t, cfgPath, "urge:\n  chats: [督查办群]\n")
	s := e2eStartServe(t, seeds, cfgPath)

	posts := func() []string {
		var out []string
		for _, r := range wc.Sent() {
			if r.Endpoint == wecomtest.Webhook && r.Key == "k-zjj" {
				out = append(out, r.Content)
			}
		}
		return out
	}
	if got := e2eRobotSay(t, s.URL, "u1", "cidzjj", "催办 76号"); !strings.Contains(got, "不能催办") {
		t.Errorf("催办 from a unit's chat = %q, want a polite refusal", got)
	}
	if n := len(posts()); n != 0 {
		t.Fatalf("a refused 催办 posted %d messages", n)
	}
	got := e2eRobotSay(t, s.URL, "u2", "ciddc", "催办 76号")
	if !strings.Contains(got, "已向住建局工作群发出催办提醒") || !strings.Contains(got, "已催办1次") {
		t.Errorf("催办 from 督查办群 = %q, want it sent to 住建局工作群, 已催办1次", got)
	}
	ps := posts()
	if len(ps) != 1 || !strings.Contains(ps[0], "【催办】督查办群（王五）催办") || !strings.Contains(ps[0], "第76项（第1次催办）") {
		t.Fatalf("住建局工作群 received %q, want one urgent reminder", ps)
	}
	// DingTalk redelivers the same message (the dedup store drops it; the
	// ledger's key by message id would hold it anyway).
	now := time.Now()
	again := dingtalktest.Message{MsgID: "u2", Text: "催办 76号", Group: true, AtRobot: true, ConversationID: "ciddc",
		SenderStaffID: "staff01", SenderNick: "王五", CreateAt: now}
	e2eDo(t, dingtalktest.SignedRequest(s.URL+"/dingtalk/robot", e2eDingTalkSecret, now.Add(-2*time.Second), again.JSON()))
	if n := len(posts()); n != 1 {
		t.Errorf("a redelivered 催办 posted again: %d messages", n)
	}
	if got := e2eRobotSay(t, s.URL, "u3", "ciddc", "催办第76项"); !strings.Contains(got, "已催办2次") {
		t.Errorf("second 催办 = %q, want 已催办2次", got)
	}
	if n := len(posts()); n != 2 {
		t.Errorf("after two urgings 住建局工作群 has %d messages, want 2", n)
	}
	// The task's answer counts the urgings and shows its colour (the seeds'
	// 2020 deadlines are long past: red).
	if got := e2eRobotSay(t, s.URL, "q1", "cidzjj", "76号任务"); !strings.Contains(got, "已催办2次") || !strings.Contains(got, "红灯") {
		t.Errorf("76号任务 = %q, want 红灯 and 已催办2次", got)
	}
	if got := e2eRobotSay(t, s.URL, "q2", "cidzjj", "住建局的任务"); strings.Count(got, "🔴") < 5 {
		t.Errorf("住建局的任务 = %q, want each line with its colour", got)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	var out, errOut strings.Builder
	if err := run(t.Context(), []string{"status", "history", "--config", cfgPath, "76"}, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("status history: %v %s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "urged 2 times") || !strings.Contains(out.String(), "督查办群 | 王五 → 住建局工作群") {
		t.Errorf("status history 76 = %q, want the two urgings", out.String())
	}
}

// TestSupervisionConfig reads issue 17's keys into the scheduler's config,
// and refuses a bulletin for a chat that is not configured.
func TestSupervisionConfig(t *testing.T) {
	const y = `chats:
  - {name: 督查办群, type: wecom_webhook, webhook_key: k}
  - {name: 茅敏勇督办群, type: wecom_webhook, webhook_key: k2, leader: 茅敏勇}
escalate: {after_days: [3, 10], chat: 督查办群, leaders: true}
urge: {chats: [督查办群]}
bulletins:
  - {chat: 督查办群, cron: "0 9 1 * *", period: monthly, link: "https://x/dashboard"}
`
	cfg, err := parseConfig("duban.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	sc := cfg.schedulerConfig()
	if e := sc.Escalate; len(e.AfterDays) != 2 || e.Chat != "督查办群" || !e.Leaders {
		t.Errorf("escalate = %+v", e)
	}
	if len(sc.Urge.Chats) != 1 || len(sc.Bulletins) != 1 || sc.Bulletins[0].Period != "monthly" || sc.Chats[1].Leader != "茅敏勇" {
		t.Errorf("urge %+v, bulletins %+v, chats %+v", sc.Urge, sc.Bulletins, sc.Chats)
	}
	bad := strings.Replace(y, "{chat: 督查办群, cron", "{chat: 没有的群, cron", 1)
	cfg, err = parseConfig("duban.yaml", []byte(bad))
	if err == nil {
		var errOut strings.Builder
		err = runConfigCheck(t, cfg, &errOut)
	}
	if err == nil || !strings.Contains(err.Error(), "bulletins[0].chat") {
		t.Errorf("a bulletin to an unknown chat: err = %v, want bulletins[0].chat named", err)
	}
}

// runConfigCheck builds the scheduler as serve does, which checks the keys
// the scheduler owns.
func runConfigCheck(t *testing.T, cfg *config, _ *strings.Builder) error {
	t.Helper()
	_, err := scheduler.New(cfg.schedulerConfig(), e2eSeedsBase(t), nil, nil)
	return err
}

// TestEmulatorPanelWithoutChats: with no chats configured the emulator's
// reminder panel shows what each unit would receive, says no chat is
// configured for it, and shows the colours, as `remind --dry-run` does.
func TestEmulatorPanelWithoutChats(t *testing.T) {
	dir := t.TempDir()
	cfgPath := e2eConfig{DataDir: filepath.Join(dir, "data")}.write(t, dir)
	s := e2eStartServe(t, seedsDir(t), cfgPath)
	code, body := e2eGet(t, s.URL+"/emulator/api/remind?now=2020-08-25T09:00:00%2B08:00")
	var r struct {
		Digests []struct {
			Chat  string   `json:"chat"`
			Units []string `json:"units"`
			Text  string   `json:"text"`
			Note  string   `json:"note"`
		} `json:"digests"`
	}
	if code != 200 || json.Unmarshal(body, &r) != nil || len(r.Digests) == 0 {
		t.Fatalf("remind panel: %d %s", code, body)
	}
	for _, d := range r.Digests {
		if !strings.Contains(d.Note, "未配置工作群") || len(d.Units) != 1 || d.Chat != d.Units[0] {
			t.Errorf("per-unit preview %s %v: note %q", d.Chat, d.Units, d.Note)
		}
		if !strings.ContainsAny(d.Text, "🔴🟡🟢") {
			t.Errorf("%s: digest without colours:\n%s", d.Chat, d.Text)
		}
	}
}

// TestServeBulletins previews and sends the weekly 通报 to a DingTalk chat
// while serve runs (through its local socket): the preview says what will
// be sent, the send posts it once per week with the dashboard link, and
// the next week's compares with it.
func TestServeBulletins(t *testing.T) {
	dt := dingtalktest.NewServer(t)
	dt.AddRobot("tok-dc", "SECdc")
	dir := t.TempDir()
	chats := []e2eChat{{Name: "督查办群", Type: "dingtalk_webhook", Key: "tok-dc", Secret: "SECdc"}}
	cfgPath := e2eConfig{DataDir: filepath.Join(dir, "data"), DingTalk: dt, Chats: chats}.write(t, dir)
	e2eAppendConfig(t, cfgPath, "bulletins:\n  - {chat: 督查办群, cron: \"0 17 * * 5\", link: \"https://duban.example/dashboard\"}\n")
	e2eStartServe(t, seedsDir(t), cfgPath)
	cli := func(args ...string) string {
		t.Helper()
		var o, e strings.Builder
		if err := run(t.Context(), append([]string{"remind", "--config", cfgPath, "--bulletins"}, args...), strings.NewReader(""), &o, &e); err != nil {
			t.Fatalf("remind --bulletins %v: %v\n%s", args, err, e.String())
		}
		return o.String()
	}
	preview := func(now string) []scheduler.BulletinPreview {
		var ps []scheduler.BulletinPreview
		if err := json.Unmarshal([]byte(cli("--dry-run", "--json", "--now", now)), &ps); err != nil || len(ps) != 1 {
			t.Fatalf("preview: %v %+v", err, ps)
		}
		return ps
	}
	const week35, week36 = "2020-08-28T17:00:00+08:00", "2020-09-04T17:00:00+08:00"
	p := preview(week35)[0]
	if p.AlreadySent || p.Period != "2020-W35" || !strings.Contains(p.Text, "督办通报（2020年第35周，截至8月28日）") ||
		!strings.Contains(p.Text, "完整表格：https://duban.example/dashboard") || p.Attachment != "" {
		t.Errorf("preview = %+v", p)
	}
	cli("--send", "--now", week35)
	cli("--send", "--now", week35) // the same week again: nothing
	var got []string
	for _, r := range dt.Sent() {
		if r.Endpoint == "robot" && r.AccessToken == "tok-dc" {
			got = append(got, r.Text)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "督办通报（2020年第35周") {
		t.Fatalf("督查办群 received %d messages %q, want the week's 通报 once", len(got), got)
	}
	if !preview(week35)[0].AlreadySent {
		t.Errorf("preview after the send: not marked already sent")
	}
	if next := preview(week36)[0]; next.AlreadySent || !strings.Contains(next.Text, "【较上期（8月28日）】") {
		t.Errorf("next week's preview = %q, want the changes since 8月28日", next.Text)
	}
}

// TestEmulatorUrge tries 催办 in the emulator: from the 督查办's chat it
// shows what would be sent and sends nothing; from a unit's chat it is
// refused as in a real chat.
func TestEmulatorUrge(t *testing.T) {
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: []string{"k-zjj", "k-dc"}})
	dir := t.TempDir()
	chats := []e2eChat{
		{Name: "住建局工作群", Type: "wecom_webhook", Key: "k-zjj", Units: []string{"住建局"}},
		{Name: "督查办群", Type: "wecom_webhook", Key: "k-dc"},
	}
	cfgPath := e2eConfig{DataDir: filepath.Join(dir, "data"), WeCom: wc, Chats: chats}.write(t, dir)
	e2eAppendConfig(t, cfgPath, "urge:\n  chats: [督查办群]\n")
	s := e2eStartServe(t, seedsDir(t), cfgPath)
	_, a := e2eEmulatorAsk(t, s.URL, "wecom", "督查办群", "王五", "催办 76号")
	if !strings.Contains(a.Text(), "（模拟，未发送）催办将发往住建局工作群") || !strings.Contains(a.Text(), "【催办】督查办群（王五）催办") {
		t.Errorf("emulator 催办 = %q", a.Text())
	}
	_, a = e2eEmulatorAsk(t, s.URL, "wecom", "住建局工作群", "李四", "催办 76号")
	if !strings.Contains(a.Text(), "不能催办") {
		t.Errorf("emulator 催办 from a unit's chat = %q, want a refusal", a.Text())
	}
	for _, r := range wc.Sent() {
		if r.Endpoint == wecomtest.Webhook {
			t.Errorf("the emulator's 催办 reached a chat: %+v", r)
		}
	}
}
