package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"duban/bot/dingtalk/dingtalktest"
	"duban/bot/wecom/wecomtest"
	"duban/handlers"
	"duban/kb"
	"duban/kb/ingest"
	"duban/scheduler"
)

// Bounds of the end-to-end tests. They are generous because the race
// detector on two cores slows loading the seeds several times over; a
// healthy run takes a fraction of each.
const (
	e2eStartTimeout = 60 * time.Second // until serve prints its address
	e2eStopTimeout  = 20 * time.Second // graceful shutdown after cancel
	e2ePollTimeout  = 20 * time.Second // any eventually-true condition
	e2ePollEvery    = 25 * time.Millisecond
)

// e2eClient is the HTTP client of the tests; each request is bounded.
var e2eClient = &http.Client{Timeout: 30 * time.Second}

// e2eDingTalkSecret is the robot AppSecret the configs carry.
const e2eDingTalkSecret = "dingtalk-app-secret-for-tests"

// e2eChat is one reminder chat of a test configuration.
type e2eChat struct {
	Name, Type, Key string // Key: webhook_key or access_token
	Secret          string // dingtalk_webhook 加签
	Units           []string
	ConversationIDs []string
}

// e2eConfig is what a test's duban.yaml holds; zero fields are left out.
type e2eConfig struct {
	DataDir     string
	RedisURL    string
	ReloadEvery string
	WeCom       *wecomtest.Server
	DingTalk    *dingtalktest.Server
	Chats       []e2eChat
	Reminders   bool // one weekday 09:00 rule with days_before [30, 7, 1]
}

// write renders c as YAML into dir/duban.yaml and returns the path. Every
// value is double-quoted with strconv rules, which YAML reads alike.
func (c e2eConfig) write(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	fmt.Fprintf(&b, "data_dir: %s\n", q(c.DataDir))
	if c.RedisURL != "" {
		fmt.Fprintf(&b, "redis_url: %s\n", q(c.RedisURL))
	}
	if c.ReloadEvery != "" {
		fmt.Fprintf(&b, "reload_every: %s\n", q(c.ReloadEvery))
	}
	b.WriteString("log:\n  level: debug\n")
	if w := c.WeCom; w != nil {
		fmt.Fprintf(&b, "wecom:\n  corp_id: %s\n  api_base_url: %s\n", q(w.Opts.CorpID), q(w.URL))
		fmt.Fprintf(&b, "  app:\n    agent_id: %d\n    secret: %s\n    token: %s\n    encoding_aes_key: %s\n",
			w.Opts.AgentID, q(w.Opts.Secret), q(w.App.Token), q(w.App.EncodingAESKey))
		fmt.Fprintf(&b, "  aibot:\n    token: %s\n    encoding_aes_key: %s\n", q(w.AIBot.Token), q(w.AIBot.EncodingAESKey))
	}
	if d := c.DingTalk; d != nil {
		fmt.Fprintf(&b, "dingtalk:\n  api_base_url: %s\n  robot:\n    app_secret: %s\n", q(d.URL), q(e2eDingTalkSecret))
	}
	if len(c.Chats) > 0 {
		b.WriteString("chats:\n")
	}
	list := func(xs []string) string {
		qs := make([]string, len(xs))
		for i, x := range xs {
			qs[i] = q(x)
		}
		return "[" + strings.Join(qs, ", ") + "]"
	}
	for _, ch := range c.Chats {
		fmt.Fprintf(&b, "  - name: %s\n    type: %s\n    units: %s\n", q(ch.Name), q(ch.Type), list(ch.Units))
		switch ch.Type {
		case "wecom_webhook":
			fmt.Fprintf(&b, "    webhook_key: %s\n", q(ch.Key))
		case "dingtalk_webhook":
			fmt.Fprintf(&b, "    access_token: %s\n    secret: %s\n", q(ch.Key), q(ch.Secret))
		}
		if len(ch.ConversationIDs) > 0 {
			fmt.Fprintf(&b, "    conversation_ids: %s\n", list(ch.ConversationIDs))
		}
	}
	if c.Reminders {
		b.WriteString("reminders:\n  - cron: \"0 9 * * 1-5\"\n    days_before: [30, 7, 1]\n    overdue_every_days: 7\n    co_units: true\n    collective_co_units: true\n")
	}
	path := filepath.Join(dir, "duban.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// e2eServe is one `duban serve` running in a goroutine of the test.
type e2eServe struct {
	URL    string // http://127.0.0.1:PORT
	Stderr *e2eBuffer

	stdout *e2eBuffer
	cancel context.CancelFunc
	done   chan struct{}
	err    error // run's result, once done is closed
}

// e2eStartServe runs `duban serve --docs docs --config cfg --listen
// 127.0.0.1:0` and waits until it prints the address it serves on. The
// server is stopped when the test ends if the test did not stop it.
func e2eStartServe(t *testing.T, docs, cfg string) *e2eServe {
	t.Helper()
	s := e2eLaunchServe(t, docs, cfg)
	s.waitListening(t)
	return s
}

// e2eLaunchServe starts serve without waiting for it to listen, so that
// several replicas load their documents at once; call waitListening.
func e2eLaunchServe(t *testing.T, docs, cfg string) *e2eServe {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &e2eServe{Stderr: &e2eBuffer{}, stdout: &e2eBuffer{}, cancel: cancel, done: make(chan struct{})}
	args := []string{"serve", "--docs", docs, "--config", cfg, "--listen", "127.0.0.1:0"}
	go func() {
		defer close(s.done)
		s.err = run(ctx, args, strings.NewReader(""), s.stdout, s.Stderr)
	}()
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("serve at cleanup: %v", err)
		}
		if t.Failed() {
			t.Logf("serve %s log (tail):\n%s", s.URL, s.Stderr.Tail(6000))
		}
	})
	return s
}

var e2eReServing = regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)/`)

// waitListening waits until serve prints its address and sets s.URL.
func (s *e2eServe) waitListening(t *testing.T) {
	t.Helper()
	deadline := time.NewTimer(e2eStartTimeout)
	defer deadline.Stop()
	for {
		changed := s.stdout.Changed()
		if m := e2eReServing.FindStringSubmatch(s.stdout.String()); m != nil {
			s.URL = m[1]
			return
		}
		select {
		case <-s.done:
			t.Fatalf("serve stopped before listening: %v\nstdout: %s\nstderr: %s", s.err, s.stdout.String(), s.Stderr.Tail(4000))
		case <-deadline.C:
			t.Fatalf("serve did not print its address within %v\nstderr: %s", e2eStartTimeout, s.Stderr.Tail(4000))
		case <-changed:
		}
	}
}

// Stop cancels serve's context and returns run's result; a serve that
// does not return within e2eStopTimeout is an error. Stop is idempotent.
func (s *e2eServe) Stop() error {
	s.cancel()
	t := time.NewTimer(e2eStopTimeout)
	defer t.Stop()
	select {
	case <-s.done:
		return s.err
	case <-t.C:
		return fmt.Errorf("serve did not return within %v of cancel", e2eStopTimeout)
	}
}

// e2eBuffer is a concurrency-safe io.Writer that signals each write.
type e2eBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func (b *e2eBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
	return n, err
}

// Changed returns a channel closed at the next write.
func (b *e2eBuffer) Changed() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.changed == nil {
		b.changed = make(chan struct{})
	}
	return b.changed
}

func (b *e2eBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Tail returns the last n bytes written, for failure messages.
func (b *e2eBuffer) Tail(n int) string {
	s := b.String()
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return s
}

// e2eEventually polls cond until it reports true or e2ePollTimeout passes;
// the last note is shown on failure.
func e2eEventually(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(e2ePollTimeout)
	tick := time.NewTicker(e2ePollEvery)
	defer tick.Stop()
	for {
		ok, note := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v; last: %s", what, e2ePollTimeout, note)
		}
		<-tick.C
	}
}

// e2eDo sends req and returns the status and body.
func e2eDo(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := e2eClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return resp.StatusCode, b
}

// e2eGet fetches url.
func e2eGet(t *testing.T, url string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e2eDo(t, req)
}

// e2eAsk is the emulator's POST /emulator/api/ask response.
type e2eAsk struct {
	Messages []string `json:"messages"`
	Intent   string   `json:"intent"`
	NotFound bool     `json:"not_found"`
	Error    string   `json:"error"`
}

// Text joins the reply's messages.
func (a e2eAsk) Text() string { return strings.Join(a.Messages, "\n") }

// e2eEmulatorAsk asks text through the emulator as user in chat ("" for a
// 1:1 chat) on platform (wecom, wecom_app or dingtalk).
func e2eEmulatorAsk(t *testing.T, base, platform, chat, user, text string) (int, e2eAsk) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"platform": platform, "chat": chat, "user": user, "text": text})
	req, err := http.NewRequest(http.MethodPost, base+"/emulator/api/ask", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	status, b := e2eDo(t, req)
	var a e2eAsk
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("emulator ask %q: %d %s: %v", text, status, b, err)
	}
	return status, a
}

// e2eReadiness is the /readyz body.
type e2eReadiness struct {
	Ready  bool              `json:"ready"`
	Checks map[string]string `json:"checks"`
}

// e2eReadyz fetches /readyz and returns its status, parsed body and raw
// body (for details beyond the checks).
func e2eReadyz(t *testing.T, base string) (int, e2eReadiness, string) {
	t.Helper()
	status, b := e2eGet(t, base+"/readyz")
	var rd e2eReadiness
	if err := json.Unmarshal(b, &rd); err != nil {
		t.Fatalf("/readyz: %d %s: %v", status, b, err)
	}
	return status, rd, string(b)
}

// e2eCounter scrapes /metrics with the Prometheus text parser and returns
// the sum of family name over the series whose labels include match.
func e2eCounter(t *testing.T, base, name string, match map[string]string) float64 {
	t.Helper()
	status, b := e2eGet(t, base+"/metrics")
	if status != http.StatusOK {
		t.Fatalf("/metrics: status %d", status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	mf, ok := families[name]
	if !ok {
		return 0
	}
	var sum float64
next:
	for _, m := range mf.GetMetric() {
		for k, v := range match {
			found := false
			for _, lp := range m.GetLabel() {
				if lp.GetName() == k && lp.GetValue() == v {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			sum += m.GetCounter().GetValue()
		case m.Gauge != nil:
			sum += m.GetGauge().GetValue()
		}
	}
	return sum
}

// e2eWeComAppAsk builds the encrypted app callback of user asking text,
// with WeCom's MsgId msgID.
func e2eWeComAppAsk(t *testing.T, fake *wecomtest.Server, base, nonce, msgID, user, text string) *wecomtest.Callback {
	t.Helper()
	now := time.Now()
	plain := wecomtest.TextMessage(fake.Opts.CorpID, user, text, msgID, fake.Opts.AgentID, now)
	cb, err := fake.App.EncryptedCallback(base+"/wecom/app", now, nonce, fake.Opts.AgentID, plain)
	if err != nil {
		t.Fatal(err)
	}
	return cb
}

// e2eOpenAppReply checks an app callback's passive reply as WeCom would
// and returns the text of its Content.
func e2eOpenAppReply(t *testing.T, fake *wecomtest.Server, body []byte, nonce string) string {
	t.Helper()
	plain, err := fake.App.OpenXMLReply(body, nonce)
	if err != nil {
		t.Fatalf("passive reply %q: %v", body, err)
	}
	var m struct {
		MsgType string `xml:"MsgType"`
		Content string `xml:"Content"`
	}
	if err := xml.Unmarshal(plain, &m); err != nil {
		t.Fatalf("passive reply plaintext %q: %v", plain, err)
	}
	if m.MsgType != "text" {
		t.Errorf("passive reply MsgType %q, want text", m.MsgType)
	}
	return m.Content
}

// e2eTickNow is the reminder tick of the replica tests: at 09:00 on 25
// August 2020 each of the chats below has overdue tasks.
const e2eTickNow = "2020-08-25T09:00:00+08:00"

// e2eTickChats are WeCom group robots, one webhook key each, so the fake
// tells their messages apart.
func e2eTickChats() []e2eChat {
	return []e2eChat{
		{Name: "住建局工作群", Type: "wecom_webhook", Key: "k-zjj", Units: []string{"住建局"}},
		{Name: "交通局工作群", Type: "wecom_webhook", Key: "k-jtj", Units: []string{"交通局"}},
		{Name: "发改委工作群", Type: "wecom_webhook", Key: "k-fgw", Units: []string{"发改委"}},
		{Name: "文广旅局工作群", Type: "wecom_webhook", Key: "k-wgl", Units: []string{"文广旅局"}},
	}
}

// e2eKeys returns the chats' webhook keys, for the fake to accept.
func e2eKeys(chats []e2eChat) []string {
	var keys []string
	for _, c := range chats {
		keys = append(keys, c.Key)
	}
	return keys
}

// e2eTick is one tick's expected deliveries: the plan of a scheduler over
// the seeds, and what each webhook key must receive.
type e2eTick struct {
	now   time.Time
	base  *kb.Base
	cfg   *config
	plan  []scheduler.Push
	want  map[string][]string // webhook key → message contents, in order
	keyOf map[string]string   // chat name → webhook key
}

// e2eNewTick plans the tick at e2eTickNow for the config at cfgPath, whose
// chats are chats.
func e2eNewTick(t *testing.T, cfgPath string, chats []e2eChat) *e2eTick {
	t.Helper()
	now, err := time.Parse(time.RFC3339, e2eTickNow)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	b := e2eSeedsBase(t)
	planner, err := scheduler.New(cfg.schedulerConfig(), b, dryRunPusher(cfg, b), nil)
	if err != nil {
		t.Fatal(err)
	}
	tk := &e2eTick{now: now, base: b, cfg: cfg, plan: planner.Plan(now), want: map[string][]string{}, keyOf: map[string]string{}}
	for _, c := range chats {
		tk.keyOf[c.Name] = c.Key
	}
	if len(tk.plan) != len(chats) {
		t.Fatalf("the plan at %s has %d digests, want one per chat (%d): the seeds changed?", e2eTickNow, len(tk.plan), len(chats))
	}
	for _, p := range tk.plan {
		// No mention lists: a WeCom webhook posts markdown.
		tk.want[tk.keyOf[p.Chat]] = handlers.Render(p.Reply, handlers.WeComMarkdown)
	}
	return tk
}

var e2eBase struct {
	once sync.Once
	base *kb.Base
	err  error
}

// e2eSeedsBase loads the seeds once per test binary: loading them under
// the race detector takes seconds, and a *kb.Base is read-only.
func e2eSeedsBase(t *testing.T) *kb.Base {
	t.Helper()
	seeds := seedsDir(t)
	e2eBase.once.Do(func() {
		e2eBase.base, _, e2eBase.err = ingest.LoadDir(context.Background(), seeds)
	})
	if e2eBase.base == nil {
		t.Fatalf("load %s: %v", seeds, e2eBase.err)
	}
	return e2eBase.base
}

// check compares what the fake received per webhook key with the plan:
// every digest exactly once, nothing else.
func (tk *e2eTick) check(t *testing.T, wc *wecomtest.Server) {
	t.Helper()
	got := map[string][]string{}
	for _, s := range wc.Sent() {
		if s.Endpoint == wecomtest.Webhook {
			got[s.Key] = append(got[s.Key], s.Content)
		}
	}
	for key, want := range tk.want {
		if len(got[key]) != len(want) {
			t.Errorf("webhook %s received %d messages, want %d (one digest, once)", key, len(got[key]), len(want))
			continue
		}
		for i := range want {
			if got[key][i] != want[i] {
				t.Errorf("webhook %s message %d = %q, want %q", key, i, got[key][i], want[i])
			}
		}
	}
	for key := range got {
		if _, ok := tk.want[key]; !ok {
			t.Errorf("webhook %s received %d messages, want none", key, len(got[key]))
		}
	}
}

var e2eReDigestLine = regexp.MustCompile(`(?m)^(?:🔴|🟡|🟢|✅) `) // a task line of a digest starts with its colour

// checkTasks is check for a tick that may have sent a chat's digest in
// parts (claims of one digest expire a few milliseconds apart): every
// (task, chat) of the plan is listed exactly once in what the chat's
// webhook received, and nothing else is.
func (tk *e2eTick) checkTasks(t *testing.T, wc *wecomtest.Server) {
	t.Helper()
	got := map[string]string{}
	for _, s := range wc.Sent() {
		if s.Endpoint == wecomtest.Webhook {
			got[s.Key] += s.Content + "\n"
		}
	}
	for _, p := range tk.plan {
		key := tk.keyOf[p.Chat]
		// A task line of the digest: colour, label (as answers name the
		// task), title, date, days.
		for _, l := range p.Reply.Lines {
			if f := strings.Fields(l); len(f) > 1 && !strings.HasPrefix(l, "【") {
				label := " " + f[1] + " "
				if n := strings.Count(got[key], label); n != 1 {
					t.Errorf("chat %s got %s %d times, want once", p.Chat, label, n)
				}
			}
		}
		if n := len(e2eReDigestLine.FindAllString(got[key], -1)); n != len(p.Tasks) {
			t.Errorf("chat %s got %d reminders, want %d", p.Chat, n, len(p.Tasks))
		}
	}
}

// reminders counts the (task, chat) pairs of the plan.
func (tk *e2eTick) reminders() int {
	n := 0
	for _, p := range tk.plan {
		n += len(p.Tasks)
	}
	return n
}
