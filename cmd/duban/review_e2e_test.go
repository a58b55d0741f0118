package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/dingtalk/dingtalktest"
	"duban/bot/linkpage"
	"duban/bot/wecom/wecomtest"
	"duban/kb"
	"duban/scheduler"
)

// e2eLinkKey signs the links of the review tests' config.
const e2eLinkKey = "link-key-for-tests-0123456789abcdef"

// e2eReviewChats are a unit's webhook group and the 督查办's.
func e2eReviewChats() []e2eChat {
	return []e2eChat{
		{Name: "住建局工作群", Type: "wecom_webhook", Key: "k-zjj", Units: []string{"住建局"}},
		{Name: "督查办工作群", Type: "wecom_webhook", Key: "k-dcb"}, // reviews; reports for no unit
	}
}

// TestServeReviewLinks runs the loop of issue 18 through serve on a
// webhook-only chat: the tick's digest carries signed links; a unit's
// link claims a task (待审核), its reminders stop and the 督查办 is asked
// (with links of its own); the 督查办 returns it (reminders resume), the
// unit claims again and the 督查办 closes it (reminders stop). Links that
// are reused, expired, forged, or used from a chat or by a verb that may
// not are refused, and nothing else is reachable from the page.
func TestServeReviewLinks(t *testing.T) {
	chats := e2eReviewChats()
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: e2eKeys(chats)})
	dir := t.TempDir()
	cfgPath := e2eConfig{DataDir: dir + "/data", WeCom: wc, Chats: chats, Reminders: true}.write(t, dir)
	extra := "review:\n  enabled: true\n  chats: [\"督查办工作群\"]\n" +
		"links:\n  base_url: \"https://duban.example.test\"\n  key: \"" + e2eLinkKey + "\"\n"
	f, err := os.OpenFile(cfgPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(extra)
	f.Close()
	s := e2eStartServe(t, seeds(t), cfgPath)
	cli := func(args ...string) string {
		t.Helper()
		out, stderr, err := runCLI(t, "", args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
		return out
	}
	planned := func(table string, no int) bool {
		t.Helper()
		var ps []scheduler.Push
		out := cli("remind", "--config", cfgPath, "--now", e2eTickNow, "--dry-run", "--json")
		if err := json.Unmarshal([]byte(out), &ps); err != nil {
			t.Fatalf("remind --dry-run --json: %v\n%s", err, out)
		}
		for _, p := range ps {
			for _, pt := range p.Tasks {
				if p.Chat == "住建局工作群" && string(pt.Table) == table && pt.No == no {
					return true
				}
			}
		}
		return false
	}

	// The tick: the unit's digest carries a 已完成 link per task.
	cli("remind", "--config", cfgPath, "--now", e2eTickNow, "--send")
	var digest string
	for _, m := range wc.Sent() {
		if m.Key == "k-zjj" {
			digest += m.Content + "\n"
		}
	}
	done := regexp.MustCompile(`(\S+?第(\d+)项)：\[已完成\]\((https://duban\.example\.test/l/[A-Za-z0-9_.-]+)\)`).FindStringSubmatch(digest)
	if done == nil {
		t.Fatalf("the digest carries no 已完成 link:\n%s", digest)
	}
	label, link := done[1], done[3]
	local := func(u string) string { return s.URL + strings.TrimPrefix(u, "https://duban.example.test") }
	tok, err := mustSigner(t).Verify(strings.TrimPrefix(link, "https://duban.example.test/l/"))
	if err != nil || tok.Chat != "住建局工作群" || tok.Verb != bot.VerbDone {
		t.Fatalf("digest link token = %+v, %v", tok, err)
	}
	if !planned(tok.Table, tok.No) {
		t.Fatalf("%s is not in the plan before the claim", label)
	}

	page := func(method, u string, form url.Values) (int, string) {
		t.Helper()
		var resp *http.Response
		var err error
		if method == http.MethodGet {
			resp, err = e2eClient.Get(u)
		} else {
			resp, err = e2eClient.PostForm(u, form)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	name := url.Values{"name": {"王五"}}

	// Claim through the digest's link: 待审核; the unit's reminders stop.
	if code, body := page("GET", local(link), nil); code != 200 || !strings.Contains(body, label) || !strings.Contains(body, "已完成") {
		t.Fatalf("GET link = %d\n%s", code, body)
	}
	if code, body := page("POST", local(link), name); code != 200 || !strings.Contains(body, "待审核") {
		t.Fatalf("claim = %d\n%s", code, body)
	}
	if code, body := page("POST", local(link), name); code != 403 || !strings.Contains(body, "已使用") {
		t.Errorf("reused link = %d\n%s", code, body)
	}
	if planned(tok.Table, tok.No) {
		t.Errorf("%s still planned while its claim waits for review", label)
	}

	// The 督查办 is asked, with links of its own.
	var request string
	e2eEventually(t, "review request to 督查办工作群", func() (bool, string) {
		for _, m := range wc.Sent() {
			if m.Key == "k-dcb" && strings.Contains(m.Content, "待审核："+label) {
				request = m.Content
				return true, ""
			}
		}
		return false, "no request yet"
	})
	ret := regexp.MustCompile(`\[退回\]\((https://duban\.example\.test/l/[A-Za-z0-9_.-]+)\)`).FindStringSubmatch(request)
	approve := regexp.MustCompile(`\[通过（办结）\]\((https://duban\.example\.test/l/[A-Za-z0-9_.-]+)\)`).FindStringSubmatch(request)
	if ret == nil || approve == nil {
		t.Fatalf("review request without 通过/退回 links:\n%s", request)
	}

	// Refusals: a unit's chat may not review, a reviewer's chat may not
	// claim for the unit, an expired link, a forged one.
	sign := func(chat, verb string, exp time.Time) string {
		str, err := mustSigner(t).Sign(linkpage.Token{Table: tok.Table, No: tok.No, Chat: chat, Verb: verb, Expires: exp})
		if err != nil {
			t.Fatal(err)
		}
		return s.URL + "/l/" + str
	}
	hour := time.Now().Add(time.Hour)
	if code, body := page("POST", sign("住建局工作群", bot.VerbApprove, hour), name); code != 403 || !strings.Contains(body, "只有审核人") {
		t.Errorf("unit approves = %d\n%s", code, body)
	}
	if code, body := page("POST", sign("督查办工作群", bot.VerbDone, hour), name); code != 403 || !strings.Contains(body, "不能代为报告") {
		t.Errorf("督查办 claims for the unit = %d\n%s", code, body)
	}
	if code, body := page("POST", sign("住建局工作群", bot.VerbDone, time.Now().Add(-time.Minute)), name); code != 403 || !strings.Contains(body, "已过期") {
		t.Errorf("expired link = %d\n%s", code, body)
	}
	forged := local(link[:len(link)-2] + "xx")
	if code, body := page("POST", forged, name); code != 403 || !strings.Contains(body, "链接无效") {
		t.Errorf("forged link = %d\n%s", code, body)
	}

	// 退回: reminders resume.
	if code, body := page("POST", local(ret[1]), url.Values{"name": {"李审"}, "reason": {"缺验收材料"}}); code != 200 || !strings.Contains(body, "已退回") {
		t.Fatalf("return = %d\n%s", code, body)
	}
	if !planned(tok.Table, tok.No) {
		t.Errorf("%s not planned after 退回", label)
	}
	// The next reminder of the task says it was returned.
	start, _ := time.Parse(time.RFC3339, e2eTickNow)
	next := ""
	for d := 1; d <= 35 && next == ""; d++ {
		var ps []scheduler.Push
		out := cli("remind", "--config", cfgPath, "--now", start.AddDate(0, 0, d).Format(time.RFC3339), "--dry-run", "--json")
		json.Unmarshal([]byte(out), &ps)
		for _, p := range ps {
			for _, m := range p.Messages {
				if p.Chat == "住建局工作群" && strings.Contains(m, label) {
					next = m
				}
			}
		}
	}
	if !strings.Contains(next, "已退回（督查办") {
		t.Errorf("the next reminder of %s does not show the return:\n%s", label, next)
	}
	// The old 通过 link finds nothing to approve now.
	if code, body := page("POST", local(approve[1]), url.Values{"name": {"李审"}}); code != 403 || !strings.Contains(body, "没有待审核") {
		t.Errorf("approve after return = %d\n%s", code, body)
	}

	// Claim again, and the 督查办 closes it: reminders stop.
	if code, body := page("POST", sign("住建局工作群", bot.VerbDone, hour), name); code != 200 || !strings.Contains(body, "待审核") {
		t.Fatalf("second claim = %d\n%s", code, body)
	}
	if code, body := page("POST", sign("督查办工作群", bot.VerbApprove, hour), url.Values{"name": {"李审"}}); code != 200 || !strings.Contains(body, "已办结") {
		t.Fatalf("close = %d\n%s", code, body)
	}
	if planned(tok.Table, tok.No) {
		t.Errorf("%s planned after 办结", label)
	}
	// Every step is in the history.
	hist := cli("status", "history", "--config", cfgPath, "--table", tok.Table, strconv.Itoa(tok.No))
	for _, w := range []string{"待审核", "已退回 | 督查办", "缺验收材料", "已办结 | 督查办"} {
		if !strings.Contains(hist, w) {
			t.Errorf("status history lacks %q:\n%s", w, hist)
		}
	}
	// Nothing else is reachable under the page's path.
	for _, p := range []string{"/l/", "/l/a/b"} {
		if code, _ := page("GET", s.URL+p, nil); code != 404 {
			t.Errorf("GET %s = %d, want 404", p, code)
		}
	}
}

func mustSigner(t *testing.T) *linkpage.Signer {
	t.Helper()
	s, err := linkpage.NewSigner([]byte(e2eLinkKey), []string{"住建局工作群", "督查办工作群"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestServeEmulatorCards runs the same loop through serve's emulator: the
// reminders panel's digest has cards; taps go through the card actor over
// the emulator's sandbox (claim → 待审核, replay once, refusals, 退回,
// 办结), 待审核的有哪些 lists the claim, and the real journal holds nothing.
func TestServeEmulatorCards(t *testing.T) {
	chats := e2eReviewChats()
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: e2eKeys(chats)})
	dir := t.TempDir()
	cfgPath := e2eConfig{DataDir: dir + "/data", WeCom: wc, Chats: chats, Reminders: true}.write(t, dir)
	f, err := os.OpenFile(cfgPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("review:\n  enabled: true\n  chats: [\"督查办工作群\"]\n")
	f.Close()
	s := e2eStartServe(t, seeds(t), cfgPath)

	status, body := e2eGet(t, s.URL+"/emulator/api/remind?now="+url.QueryEscape(e2eTickNow))
	var rr struct {
		Digests []struct {
			Chat  string
			Cards []struct {
				Table, Label string
				No           int
				Buttons      []struct{ Verb string }
			}
		}
	}
	if err := json.Unmarshal(body, &rr); status != 200 || err != nil {
		t.Fatalf("remind panel = %d %v\n%s", status, err, body)
	}
	b := e2eSeedsBase(t)
	var table, label string
	var no int
	for _, d := range rr.Digests {
		if d.Chat != "住建局工作群" {
			continue
		}
		for _, c := range d.Cards {
			rec, ok := b.Task(kb.Table(c.Table), c.No)
			if ok && strings.Contains(strings.Join(rec.LeadUnits, ","), "住建局") && len(c.Buttons) == 3 && c.Buttons[0].Verb == bot.VerbDone {
				table, no, label = c.Table, c.No, c.Label
				break
			}
		}
	}
	if no == 0 {
		t.Fatalf("no card of a task 住建局 leads in the panel:\n%s", body)
	}
	tap := func(id, chat, user, verb, reason string) (int, map[string]any) {
		t.Helper()
		raw, _ := json.Marshal(map[string]any{"id": id, "chat": chat, "user": user, "verb": verb, "table": table, "no": no, "reason": reason})
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/emulator/api/card", strings.NewReader(string(raw)))
		req.Header.Set("Content-Type", "application/json")
		code, out := e2eDo(t, req)
		var v map[string]any
		json.Unmarshal(out, &v)
		return code, v
	}
	steps := []struct {
		name, id, chat, user, verb, reason, want string
		refused                                  bool
	}{
		{"claim", "t1", "住建局工作群", "王五", bot.VerbDone, "", "待审核", false},
		{"replayed click", "t1", "住建局工作群", "王五", bot.VerbDone, "", "已处理过", false},
		{"reviewer's chat claims", "t2", "督查办工作群", "李审", bot.VerbDone, "", "不能代为报告", true},
		{"unit approves", "t3", "住建局工作群", "王五", bot.VerbApprove, "", "只有审核人", true},
		{"return", "t4", "督查办工作群", "李审", bot.VerbReturn, "缺验收材料", "已退回", false},
		{"claim again", "t5", "住建局工作群", "王五", bot.VerbDone, "", "待审核", false},
		{"close", "t6", "督查办工作群", "李审", bot.VerbApprove, "", "已办结", false},
	}
	for _, st := range steps {
		code, v := tap(st.id, st.chat, st.user, st.verb, st.reason)
		title, _ := v["title"].(string)
		refused, _ := v["refused"].(bool)
		if code != 200 || !strings.Contains(title, st.want) || refused != st.refused {
			t.Errorf("%s: %d %v, want %q (refused %v)", st.name, code, v, st.want, st.refused)
		}
		if st.name == "claim" {
			_, a := e2eEmulatorAsk(t, s.URL, "wecom", "督查办工作群", "李审", "待审核的有哪些")
			if a.Intent != "pending_review" || !strings.Contains(a.Text(), label[strings.Index(label, "第"):]) {
				t.Errorf("待审核的有哪些 after the claim = %s %q", a.Intent, a.Text())
			}
		}
	}
	// The sandbox kept it all: the real journal has no report.
	out, _, err := runCLI(t, "", "status", "history", "--config", cfgPath, "--table", table, strconv.Itoa(no))
	if err != nil || !strings.Contains(out, "no reports") {
		t.Errorf("real history after emulator taps = %q, %v; want no reports", out, err)
	}
}

// TestServeQuoteReply: on DingTalk, a reply that quotes a reminder line
// (text.repliedMsg) reports on the quoted task without its number, through
// serve's robot callback; with review on it waits for review.
func TestServeQuoteReply(t *testing.T) {
	dt := dingtalktest.NewServer(t)
	dir := t.TempDir()
	chats := []e2eChat{{Name: "住建局工作群", Type: "wecom_webhook", Key: "k-zjj", Units: []string{"住建局"}, ConversationIDs: []string{"cidzjj"}}}
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: e2eKeys(chats)})
	cfgPath := e2eConfig{DataDir: dir + "/data", WeCom: wc, DingTalk: dt, Chats: chats}.write(t, dir)
	f, err := os.OpenFile(cfgPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("review:\n  enabled: true\n  users: [\"李审\"]\n")
	f.Close()
	s := e2eStartServe(t, seeds(t), cfgPath)

	send := func(id, text, quote string) string {
		t.Helper()
		now := time.Now()
		msg := dingtalktest.Message{MsgID: id, Text: text, Group: true, AtRobot: true, ConversationID: "cidzjj",
			SenderStaffID: "staff01", SenderNick: "王五", SessionWebhook: dt.NewSession("s-"+id, now.Add(time.Hour)), CreateAt: now}
		var body map[string]any
		if err := json.Unmarshal(msg.JSON(), &body); err != nil {
			t.Fatal(err)
		}
		if quote != "" {
			txt := body["text"].(map[string]any)
			txt["isReplyMsg"] = true
			txt["repliedMsg"] = map[string]any{"msgType": "text", "content": map[string]any{"text": quote}}
		}
		raw, _ := json.Marshal(body)
		status, out := e2eDo(t, dingtalktest.SignedRequest(s.URL+"/dingtalk/robot", e2eDingTalkSecret, now, raw))
		if status != http.StatusOK {
			t.Fatalf("dingtalk robot: %d %s", status, out)
		}
		var r struct{ Markdown struct{ Text string } }
		json.Unmarshal(out, &r)
		return r.Markdown.Text
	}
	// Without a quote it names no task, so nothing is recorded.
	if got := send("q1", "已完成，附照片", ""); strings.Contains(got, "已记录") {
		t.Errorf("已完成 without a quote = %q, want nothing recorded", got)
	}
	got := send("q2", "已完成，附照片", "🟡 重点工作第76项 推进城市更新试点工作（8月31日，还剩6天）")
	if !strings.Contains(got, "已记录：重点工作第76项 状态：待审核") || !strings.Contains(got, "附照片") {
		t.Errorf("quote reply = %q", got)
	}
	hist, _, err := runCLI(t, "", "status", "history", "--config", cfgPath, "--table", "key_tasks", "76")
	if err != nil || !strings.Contains(hist, "待审核") || !strings.Contains(hist, "附照片") {
		t.Errorf("history after the quote reply = %q, %v", hist, err)
	}
}
