package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk/dingtalktest"
	"duban/bot/wecom/wecomtest"
	"duban/handlers"
)

// The question every platform asks, and what its answer must name: task
// 76 of 附件1 is led by 周国强 and 住建局.
const (
	e2eQuestion = "76号任务谁牵头"
	e2eLeader   = "周国强"
	e2eUnit     = "住建局"
)

// e2eChats are the reminder chats of the serve tests: 住建局's WeCom group,
// which speaks for 住建局 as conversation cidzjj, and 交通局's DingTalk
// group, known by its name.
func e2eChats() []e2eChat {
	return []e2eChat{
		{Name: "住建局工作群", Type: "wecom_webhook", Key: "k-zjj", Units: []string{"住建局"}, ConversationIDs: []string{"cidzjj"}},
		{Name: "交通局工作群", Type: "dingtalk_webhook", Key: "tok-jtj", Secret: "SECjtj", Units: []string{"交通局"}},
	}
}

// TestServeEndToEnd runs `duban serve` on the seeds with WeCom and
// DingTalk pointed at loopback fakes, and asks through every inbound path:
// the encrypted app callback (and its retry), the 智能机器人 callback, the
// signed DingTalk robot and the emulator; then checks health, metrics,
// progress reports and graceful shutdown.
func TestServeEndToEnd(t *testing.T) {
	seeds := seedsDir(t)
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: []string{"k-zjj"}})
	dt := dingtalktest.NewServer(t)
	dt.AddRobot("tok-jtj", "SECjtj")
	dir := t.TempDir()
	cfg := e2eConfig{DataDir: filepath.Join(dir, "data"), WeCom: wc, DingTalk: dt, Chats: e2eChats(), Reminders: true}.write(t, dir)
	s := e2eStartServe(t, seeds, cfg)
	questions := func(platform string) float64 {
		match := map[string]string{}
		if platform != "" {
			match["platform"] = platform
		}
		return e2eCounter(t, s.URL, "duban_questions_total", match)
	}
	before := questions("")

	t.Run("health", func(t *testing.T) {
		if status, body := e2eGet(t, s.URL+"/healthz"); status != http.StatusOK || string(body) != "ok" {
			t.Errorf("/healthz = %d %q, want 200 ok", status, body)
		}
		status, rd, raw := e2eReadyz(t, s.URL)
		if status != http.StatusOK || !rd.Ready {
			t.Fatalf("/readyz = %d %s, want 200 ready", status, raw)
		}
		for _, c := range []string{"documents", "store"} {
			if rd.Checks[c] != "ok" {
				t.Errorf("/readyz check %s = %q, want ok", c, rd.Checks[c])
			}
		}
		if n := e2eCounter(t, s.URL, "duban_kb_records", map[string]string{"table": "key_tasks"}); n != 173 {
			t.Errorf("duban_kb_records{table=key_tasks} = %v, want 173", n)
		}
	})

	t.Run("wecom app callback and its retry", func(t *testing.T) {
		cb := e2eWeComAppAsk(t, wc, s.URL, "nonceapp1", "7380000000000000001", "zhangsan", e2eQuestion)
		status, body, err := cb.Send(t.Context(), e2eClient)
		if err != nil || status != http.StatusOK {
			t.Fatalf("callback: %d %v", status, err)
		}
		got := e2eOpenAppReply(t, wc, body, "nonceapp1")
		if !strings.Contains(got, e2eLeader) || !strings.Contains(got, e2eUnit) {
			t.Errorf("passive reply = %q, want %s and %s", got, e2eLeader, e2eUnit)
		}
		// WeCom resends the same bytes when it thinks the reply was late.
		status, body, err = cb.Send(t.Context(), e2eClient)
		if err != nil || status != http.StatusOK || len(body) != 0 {
			t.Errorf("retried callback = %d %q %v, want an empty 200", status, body, err)
		}
		if n := wc.Calls(wecomtest.MessageSend); n != 0 {
			t.Errorf("message/send called %d times: the answer went out twice", n)
		}
		if n := questions(bot.WeComApp); n != 1 {
			t.Errorf("questions_total{platform=%s} = %v, want 1 (the retry is not a question)", bot.WeComApp, n)
		}
	})

	t.Run("wecom aibot group mention", func(t *testing.T) {
		plain := wecomtest.AIBotText("aibotmsg0001", "cidzjj", "lisi", "@督办助手 "+e2eQuestion, wc.ResponseURL())
		cb, err := wc.AIBot.EncryptedJSONCallback(s.URL+"/wecom/aibot", time.Now(), "nonceai1", plain)
		if err != nil {
			t.Fatal(err)
		}
		status, body, err := cb.Send(t.Context(), e2eClient)
		if err != nil || status != http.StatusOK {
			t.Fatalf("aibot callback: %d %v", status, err)
		}
		plainReply, err := wc.AIBot.OpenJSONReply(body, "nonceai1")
		if err != nil {
			t.Fatalf("aibot reply %q: %v", body, err)
		}
		var r struct {
			MsgType string `json:"msgtype"`
			Stream  struct {
				Finish  bool   `json:"finish"`
				Content string `json:"content"`
			} `json:"stream"`
		}
		if err := json.Unmarshal(plainReply, &r); err != nil {
			t.Fatalf("aibot reply plaintext %s: %v", plainReply, err)
		}
		if r.MsgType != "stream" || !r.Stream.Finish || !strings.Contains(r.Stream.Content, e2eLeader) {
			t.Errorf("aibot reply = %s, want a finished stream naming %s", plainReply, e2eLeader)
		}
		if strings.Contains(r.Stream.Content, "@督办助手") {
			t.Errorf("aibot reply echoes the mention: %q", r.Stream.Content)
		}
	})

	t.Run("dingtalk robot", func(t *testing.T) {
		now := time.Now()
		msg := dingtalktest.Message{
			MsgID: "msgdt0001", Text: e2eQuestion, Group: true, AtRobot: true,
			ConversationID: "cidjtj", SenderStaffID: "staff01", SenderNick: "王五",
			SessionWebhook: dt.NewSession("sess1", now.Add(time.Hour)), CreateAt: now,
		}
		status, body := e2eDo(t, dingtalktest.SignedRequest(s.URL+"/dingtalk/robot", e2eDingTalkSecret, now, msg.JSON()))
		if status != http.StatusOK {
			t.Fatalf("dingtalk robot: %d %s", status, body)
		}
		var r struct {
			MsgType  string `json:"msgtype"`
			Markdown struct{ Title, Text string }
		}
		if err := json.Unmarshal(body, &r); err != nil {
			t.Fatalf("dingtalk reply %q: %v", body, err)
		}
		if r.MsgType != "markdown" || r.Markdown.Title == "" || !strings.Contains(r.Markdown.Text, e2eLeader) {
			t.Errorf("dingtalk reply = %s, want markdown naming %s", body, e2eLeader)
		}

		msg.MsgID = "msgdt0002"
		status, body = e2eDo(t, dingtalktest.SignedRequest(s.URL+"/dingtalk/robot", "not-the-secret", now, msg.JSON()))
		if status != http.StatusUnauthorized {
			t.Errorf("wrong signature: %d %s, want 401", status, body)
		}
		status, body = e2eDo(t, dingtalktest.SignedRequest(s.URL+"/dingtalk/robot", e2eDingTalkSecret, now.Add(-2*time.Hour), msg.JSON()))
		if status != http.StatusUnauthorized {
			t.Errorf("stale timestamp: %d %s, want 401", status, body)
		}
		if got := len(dt.Requests()); got != 0 {
			t.Errorf("the fake's webhooks got %d requests; the answer belongs in the response", got)
		}
	})

	t.Run("emulator ask", func(t *testing.T) {
		status, a := e2eEmulatorAsk(t, s.URL, "dingtalk", "", "emu", e2eQuestion)
		if status != http.StatusOK || !strings.Contains(a.Text(), e2eLeader) || !strings.Contains(a.Text(), e2eUnit) {
			t.Errorf("emulator ask = %d %+v, want %s and %s", status, a, e2eLeader, e2eUnit)
		}
	})

	t.Run("metrics count the questions", func(t *testing.T) {
		// app, aibot, dingtalk, emulator; the retry and the refused
		// requests are not questions.
		if got := questions("") - before; got != 4 {
			t.Errorf("duban_questions_total rose by %v, want 4", got)
		}
		for _, p := range []string{bot.WeComApp, bot.WeComAIBot, bot.DingTalk, bot.Emulator} {
			if n := questions(p); n != 1 {
				t.Errorf("duban_questions_total{platform=%s} = %v, want 1", p, n)
			}
		}
	})

	t.Run("progress report from the lead unit's group", func(t *testing.T) {
		// 交通局's group does not speak for 住建局: refused, nothing recorded.
		status, a := e2eEmulatorAsk(t, s.URL, "dingtalk", "交通局工作群", "赵六", "76号已完成")
		if status != http.StatusOK || a.Intent != handlers.IntentReport || !strings.Contains(a.Text(), "未作记录") {
			t.Errorf("report from 交通局工作群 = %d %+v, want a refusal", status, a)
		}
		status, a = e2eEmulatorAsk(t, s.URL, "wecom", "住建局工作群", "王五", "76号已完成")
		if status != http.StatusOK || a.Intent != handlers.IntentReport || !strings.Contains(a.Text(), "已记录") || !strings.Contains(a.Text(), "76") {
			t.Fatalf("report from 住建局工作群 = %d %+v, want 已记录 … 76", status, a)
		}
		status, a = e2eEmulatorAsk(t, s.URL, "wecom", "住建局工作群", "王五", "76号谁牵头")
		if status != http.StatusOK || !strings.Contains(a.Text(), "已完成") || !strings.Contains(a.Text(), e2eLeader) {
			t.Errorf("76号谁牵头 after the report = %+v, want 已完成 and %s", a, e2eLeader)
		}
	})

	t.Run("graceful shutdown", func(t *testing.T) {
		if err := s.Stop(); err != nil {
			t.Fatalf("serve after cancel: %v, want nil", err)
		}
		if _, err := e2eClient.Get(s.URL + "/healthz"); err == nil {
			t.Errorf("GET /healthz after shutdown succeeded; the listener is still open")
		}
	})
}

// TestServeReloadsDocuments edits a copy of the seeds under a running
// serve: the answer follows the edit without a restart, and a broken file
// added later is reported while the good versions keep answering.
func TestServeReloadsDocuments(t *testing.T) {
	docs := e2eCopySeeds(t)
	dir := t.TempDir()
	cfg := e2eConfig{DataDir: filepath.Join(dir, "data"), ReloadEvery: "100ms"}.write(t, dir)
	s := e2eStartServe(t, docs, cfg)
	ask := func() string {
		status, a := e2eEmulatorAsk(t, s.URL, "wecom_app", "", "emu", e2eQuestion)
		if status != http.StatusOK {
			t.Fatalf("emulator ask: %d %+v", status, a)
		}
		return a.Text()
	}
	if got := ask(); !strings.Contains(got, e2eLeader) {
		t.Fatalf("before the edit: %q, want %s", got, e2eLeader)
	}

	const newLeader = "王建华"
	e2eEditLeader76(t, filepath.Join(docs, "004_07f1fbb038e9b517.txt"), e2eLeader, newLeader)
	e2eEventually(t, "answer names the edited leader", func() (bool, string) {
		got := ask()
		return strings.Contains(got, newLeader) && !strings.Contains(got, e2eLeader), got
	})

	broken := filepath.Join(docs, "009_broken.txt")
	e2eWriteFresh(t, broken, []byte("附件\n\t76\n\xff\xfe 不是UTF-8\n"))
	e2eEventually(t, "the broken document is reported", func() (bool, string) {
		status, b := e2eGet(t, s.URL+"/emulator/api/kb")
		var sum struct{ Errors []string }
		if status != http.StatusOK || json.Unmarshal(b, &sum) != nil {
			return false, string(b)
		}
		return strings.Contains(strings.Join(sum.Errors, "\n"), "009_broken.txt"), strings.Join(sum.Errors, "; ")
	})
	if got := ask(); !strings.Contains(got, newLeader) {
		t.Errorf("after a broken file was added: %q, want %s still", got, newLeader)
	}
	status, rd, raw := e2eReadyz(t, s.URL)
	if status != http.StatusOK || !rd.Ready {
		t.Errorf("/readyz = %d %+v: a failed document must not make the server unready", status, rd)
	}
	if !strings.Contains(s.Stderr.String(), "009_broken.txt") {
		t.Errorf("the log does not mention the document that failed to load")
	}
	// Issue 7: "a document that fails keeps its previous version loaded
	// and the error is logged and shown in /readyz details".
	t.Run("readyz details name the failed document", func(t *testing.T) {
		if !strings.Contains(raw, "009_broken.txt") {
			t.Errorf("/readyz does not mention the document that failed to load:\n%s", raw)
		}
	})
	if err := s.Stop(); err != nil {
		t.Errorf("serve: %v", err)
	}
}

// e2eCopySeeds copies the seed documents into a temporary folder the test
// may edit.
func e2eCopySeeds(t *testing.T) string {
	t.Helper()
	seeds := seedsDir(t)
	docs := t.TempDir()
	entries, err := os.ReadDir(seeds)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(seeds, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(docs, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return docs
}

// e2eEditLeader76 replaces from with to on the 牵头领导 cell of row 76 of
// 附件1: the first line after the "\t76" row-number cell that names from.
func e2eEditLeader76(t *testing.T, path, from, to string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(b, []byte("\n"))
	row := -1
	for i, l := range lines {
		if string(bytes.TrimRight(l, "\r")) == "\t76" {
			row = i
			break
		}
	}
	if row < 0 {
		t.Fatalf("%s: no row 76", path)
	}
	for i := row + 1; i < len(lines) && i < row+8; i++ {
		if bytes.Contains(lines[i], []byte(from)) {
			lines[i] = bytes.ReplaceAll(lines[i], []byte(from), []byte(to))
			e2eWriteFresh(t, path, bytes.Join(lines, []byte("\n")))
			return
		}
	}
	t.Fatalf("%s: row 76 has no line naming %s", path, from)
}

// e2eWriteFresh writes b to path with a modification time a second ahead,
// so a reload that compares times and sizes sees the change even on a
// file system with coarse timestamps.
func e2eWriteFresh(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Second)
	if err := os.Chtimes(path, future, future); err != nil {
		t.Fatal(err)
	}
}
