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

	"duban/bot/dingtalk/dingtalktest"
	"duban/bot/wecom/longconn/longconntest"
	"duban/bot/wecom/wecomtest"
	"duban/kb"
	"duban/kb/names"
)

// e2eAppendConfig appends yaml to the configuration file at path, for the
// keys e2eConfig does not write (review, cards, urge, bulletins).
func e2eAppendConfig(t *testing.T, path, yaml string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(yaml); err != nil {
		f.Close()
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// e2eWriteConfig writes yaml as dir/duban.yaml and returns its path.
func e2eWriteConfig(t *testing.T, dir, yaml string) string {
	t.Helper()
	path := filepath.Join(dir, "duban.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// e2eWaitCount waits until get returns exactly n items (cards sent, card
// updates) and returns them.
func e2eWaitCount[T any](t *testing.T, what string, get func() []T, n int) []T {
	t.Helper()
	var got []T
	e2eEventually(t, what, func() (bool, string) {
		got = get()
		return len(got) == n, fmt.Sprintf("%d: %+v", len(got), got)
	})
	return got
}

// e2eZJJWeComChats is 住建局's WeCom group (conversation cidzjj), and with
// dcb the 督查办's group too.
func e2eZJJWeComChats(dcb bool) []e2eChat {
	chats := []e2eChat{{Name: "住建局工作群", Type: "wecom_webhook", Key: "k-zjj", Units: []string{"住建局"}, ConversationIDs: []string{"cidzjj"}}}
	if dcb {
		chats = append(chats, e2eChat{Name: "督查办群", Type: "wecom_webhook", Key: "k-dcb"})
	}
	return chats
}

// e2eStartWeComCards starts `duban serve` on the seeds against a fake
// WeCom with e2eZJJWeComChats(dcb), the weekday reminders if reminders,
// and extra appended to the configuration. It returns the fake, the
// server and the configuration's path.
func e2eStartWeComCards(t *testing.T, dcb, reminders bool, extra string) (*wecomtest.Server, *e2eServe, string) {
	t.Helper()
	keys := []string{"k-zjj"}
	if dcb {
		keys = append(keys, "k-dcb")
	}
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: keys})
	dir := t.TempDir()
	cfg := e2eConfig{DataDir: filepath.Join(dir, "data"), WeCom: wc, Chats: e2eZJJWeComChats(dcb), Reminders: reminders}.write(t, dir)
	e2eAppendConfig(t, cfg, extra)
	return wc, e2eStartServe(t, seedsDir(t), cfg), cfg
}

// e2eRemindSendWhileServing runs `remind --send` at e2eTickNow, which
// serve carries out over its local socket.
func e2eRemindSendWhileServing(t *testing.T, cfg string) {
	t.Helper()
	if out, stderr, err := runCLI(t, "", "remind", "--config", cfg, "--now", e2eTickNow, "--send"); err != nil {
		t.Fatalf("remind --send while serving: %v\n%s%s", err, out, stderr)
	}
}

// e2eAppPost posts plain (a message or a card event) to serve's WeCom app
// callback, encrypted under nonce, fails the test unless it is answered
// 200, and returns the encrypted answer.
func e2eAppPost(t *testing.T, wc *wecomtest.Server, s *e2eServe, what, nonce string, plain []byte) []byte {
	t.Helper()
	ev, err := wc.App.EncryptedCallback(s.URL+"/wecom/app", time.Now(), nonce, wc.Opts.AgentID, plain)
	if err != nil {
		t.Fatal(err)
	}
	status, body, err := ev.Send(t.Context(), e2eClient)
	if err != nil || status != http.StatusOK {
		t.Fatalf("%s: %d %v", what, status, err)
	}
	return body
}

// e2eAIBotPost posts plain to serve's 智能机器人 callback, encrypted under
// nonce, fails the test unless it is answered 200, and returns the
// encrypted answer.
func e2eAIBotPost(t *testing.T, wc *wecomtest.Server, s *e2eServe, what, nonce string, plain []byte) []byte {
	t.Helper()
	cb, err := wc.AIBot.EncryptedJSONCallback(s.URL+"/wecom/aibot", time.Now(), nonce, plain)
	if err != nil {
		t.Fatal(err)
	}
	status, body, err := cb.Send(t.Context(), e2eClient)
	if err != nil || status != http.StatusOK {
		t.Fatalf("%s: %d %v", what, status, err)
	}
	return body
}

// e2eZJJLedOption returns the first task option of card that 住建局
// leads in the seeds, as the option's ID and the task's number; "" if
// there is none.
func e2eZJJLedOption(t *testing.T, card *wecomtest.Card) (string, int) {
	t.Helper()
	b := e2eSeedsBase(t)
	for _, o := range card.Selection.Options {
		table, n, _ := strings.Cut(o.ID, ":")
		k, _ := strconv.Atoi(n)
		if r, ok := b.Task(kb.Table(table), k); ok && slices.ContainsFunc(r.LeadUnits, func(u string) bool { return names.Unit(u) == "住建局" }) {
			return o.ID, k
		}
	}
	return "", 0
}

// e2eStartLongConn starts `duban serve` on the seeds with 住建局's group
// (wrzjj) on a fake 智能机器人 long connection and routed as cards, and
// waits for the connection. With review, the 督查办's group (wrdcb) is
// configured too, reviews there and gets cards.
func e2eStartLongConn(t *testing.T, review bool) (*longconntest.Server, *e2eServe) {
	t.Helper()
	fake := longconntest.NewServer(t)
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "data_dir: %q\n", filepath.Join(dir, "data"))
	if !review {
		b.WriteString("log:\n  level: debug\n")
	}
	fmt.Fprintf(&b, `wecom:
  aibot:
    long_connection:
      bot_id: %q
      secret: %q
      url: %q
chats:
  - name: 住建局群
    type: wecom_aibot
    chat_id: wrzjj
    units: [住建局]
    conversation_ids: [wrzjj]
`, longconntest.BotID, longconntest.Secret, fake.URL)
	if review {
		b.WriteString(`  - name: 督查办群
    type: wecom_aibot
    chat_id: wrdcb
    conversation_ids: [wrdcb]
review:
  enabled: true
  chats: [督查办群]
`)
	}
	b.WriteString("cards:\n  routes:\n    - chat: 住建局群\n")
	if review {
		b.WriteString("    - chat: 督查办群\n")
	}
	s := e2eStartServe(t, seedsDir(t), e2eWriteConfig(t, dir, b.String()))
	e2eEventually(t, "the long connection", func() (bool, string) { return fake.Connected(), "not subscribed" })
	return fake, s
}

// e2eLongConnCardTo waits for a card sent to chatID and returns it.
func e2eLongConnCardTo(t *testing.T, fake *longconntest.Server, chatID string) longconntest.Card {
	t.Helper()
	var card longconntest.Card
	e2eEventually(t, "the card in "+chatID, func() (bool, string) {
		for _, c := range fake.Cards() {
			if c.ChatID == chatID {
				card = c
				return true, ""
			}
		}
		return false, fmt.Sprintf("cards %+v, updates %+v", fake.Cards(), fake.Updates())
	})
	return card
}

// e2eLongConnPush sends m as a group message over the long connection.
func e2eLongConnPush(t *testing.T, fake *longconntest.Server, m longconntest.Message) {
	t.Helper()
	if _, err := fake.Push(m); err != nil {
		t.Fatal(err)
	}
}

// e2eDingTalkStreamYAML is the dingtalk: block of a configuration on the
// fake robot API dt and the fake Stream gateway and OpenAPI gw.
func e2eDingTalkStreamYAML(dt *dingtalktest.Server, gw *dingtalktest.StreamGateway) string {
	return fmt.Sprintf(`dingtalk:
  api_base_url: %q
  openapi_base_url: %q
  stream:
    client_id: %q
    client_secret: %q
`, dt.URL, gw.URL, dingtalktest.StreamClientID, dingtalktest.StreamClientSecret)
}
