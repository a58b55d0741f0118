package emulator

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban/bot/internal/browser"
)

// TestBrowser drives the emulator page in a real headless Chromium over
// loopback: it asks 76号任务谁牵头 and waits for the answer, runs the
// reminders panel for a chosen date, opens the knowledge-base page and
// searches it, and saves screenshots to $DUBAN_ARTIFACTS (or a temporary
// directory). Without Chromium it skips, unless $CI is set.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	path, err := browser.Find()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs Chromium for the emulator test: %v", err)
		}
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()

	f := &fakeBot{}
	remindAt := make(chan time.Time, 10)
	cfg := newTestConfig(f)
	cfg.Remind = func(ctx context.Context, now time.Time) ([]Digest, error) {
		remindAt <- now
		return remindFake(ctx, now)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: New(cfg)}}
	srv.Start()
	defer srv.Close()

	b, err := browser.Launch(ctx, path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p, err := b.NewPage(ctx, 1280, 860)
	if err != nil {
		t.Fatal(err)
	}
	artifacts := os.Getenv("DUBAN_ARTIFACTS")
	if artifacts == "" {
		artifacts = t.TempDir()
	}
	shot := func(name string) {
		t.Helper()
		png, err := p.Screenshot(ctx)
		if err != nil {
			t.Errorf("screenshot %s: %v", name, err)
			return
		}
		if err := os.MkdirAll(artifacts, 0o755); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(artifacts, "emulator-"+name+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", file)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			shot("failure")
			t.Fatal(err)
		}
	}

	must(p.Navigate(ctx, srv.URL+"/"))
	_, err = p.WaitText(ctx, "body[data-ready] #chat-title", "住建局工作群", 10000)
	must(err)

	// Chat: type the question, click send, wait for the bot's bubble.
	must(p.Type(ctx, "#question", "76号任务谁牵头"))
	must(p.Click(ctx, "#send"))
	got, err := p.WaitText(ctx, ".row.bot.reply .bubble", "周国强", 10000)
	must(err)
	if !strings.Contains(got, "市住建局") {
		t.Errorf("reply bubble = %q, want the lead unit too", got)
	}
	// The markdown head is bold, the escaped * shows as a literal *, the
	// cite is a quote; no markup characters leak.
	var md struct {
		Bold, Quote string
		Text        string
	}
	must(p.Eval(ctx, `(() => {
		const b = [...document.querySelectorAll(".row.bot.reply .bubble")].pop();
		return {Bold: (b.querySelector("strong") || {}).textContent || "",
			Quote: (b.querySelector("blockquote") || {}).textContent || "", Text: b.textContent};
	})()`, &md))
	if !strings.Contains(md.Bold, "周国强") || !strings.Contains(md.Quote, "来源") ||
		strings.Contains(md.Text, "**") || !strings.Contains(md.Text, "城市更新*试点*工作") {
		t.Errorf("rendered markdown = %+v, want bold head, quoted cite, literal * and no **", md)
	}
	if m := f.lastMsg(); m == nil || m.Text != "76号任务谁牵头" || m.ChatID != "cid-zjj" {
		t.Errorf("handler got %+v, want the typed question from 住建局工作群", m)
	}
	// The renderer builds nodes from text: markup in a message stays text.
	var injected struct{ Elements, Text string }
	must(p.Eval(ctx, `(() => {
		const d = document.createElement("div");
		renderMarkdown("<img src=x onerror=alert(1)> **粗<b>体</b>**\n> 引<script>x</script>", d);
		return {Elements: [...d.querySelectorAll("*")].map(e => e.tagName).join(","), Text: d.textContent};
	})()`, &injected))
	if injected.Elements != "P,STRONG,BLOCKQUOTE" || !strings.Contains(injected.Text, "<img src=x") {
		t.Errorf("renderMarkdown of markup made elements %q, text %q; want P,STRONG,BLOCKQUOTE and the markup as text",
			injected.Elements, injected.Text)
	}
	// The same question on DingTalk.
	must(p.Eval(ctx, `(() => { const s = document.getElementById("platform"); s.value = "dingtalk";
		s.dispatchEvent(new Event("change")); })()`, nil))
	must(p.Type(ctx, "#question", "76号任务谁牵头"))
	must(p.Click(ctx, "#send"))
	_, err = p.WaitText(ctx, ".meta", "dingtalk_markdown", 10000)
	must(err)
	shot("chat")

	// Reminders: pick a date, run, wait for the digest card.
	must(p.Click(ctx, "#tab-remind"))
	must(p.Eval(ctx, `(() => { const i = document.getElementById("remind-at"); i.value = "2020-08-25T09:00";
		i.dispatchEvent(new Event("input")); })()`, nil))
	must(p.Click(ctx, "#remind-run"))
	got, err = p.WaitText(ctx, ".digest", "住建局工作群", 10000)
	must(err)
	if !strings.Contains(got, "重点工作第76项") || !strings.Contains(got, "8月25日") {
		t.Errorf("digest card = %q, want task 76 on 8月25日", got)
	}
	if got, want := <-remindAt, time.Date(2020, 8, 25, 9, 0, 0, 0, shanghai); !got.Equal(want) {
		t.Errorf("Remind called at %v, want %v", got, want)
	}
	shot("remind")

	// Knowledge base: the tables load, search narrows them.
	must(p.Click(ctx, "#tab-kb"))
	_, err = p.WaitText(ctx, "#kb-content", "2020年市政府重点工作任务分解表", 10000)
	must(err)
	must(p.Type(ctx, "#kb-search", "交通"))
	var visible []string
	must(p.Eval(ctx, `[...document.querySelectorAll("#kb-content tbody tr")].filter(r => !r.hidden).map(r => r.textContent)`, &visible))
	if len(visible) != 1 || !strings.Contains(visible[0], "市交通运输局") {
		t.Errorf("rows shown for 交通 = %q, want only 市交通运输局", visible)
	}
	shot("kb")

	// With a token: refused without it; with ?token= the page, its assets
	// (cookie) and its API calls (header) all pass.
	tcfg := newTestConfig(&fakeBot{})
	tcfg.Token = "tok-123"
	tsrv := newLoopbackServer(t, New(tcfg))
	must(p.Navigate(ctx, tsrv.URL+"/"))
	_, err = p.WaitText(ctx, "body", "token required", 10000)
	must(err)
	must(p.Navigate(ctx, tsrv.URL+"/?token=tok-123"))
	_, err = p.WaitText(ctx, "body[data-ready] #chat-title", "住建局工作群", 10000)
	must(err)
	must(p.Type(ctx, "#question", "76号任务谁牵头"))
	must(p.Click(ctx, "#send"))
	_, err = p.WaitText(ctx, ".row.bot.reply .bubble", "周国强", 10000)
	must(err)
}
