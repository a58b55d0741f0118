package emulator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban/bot/internal/browser"
)

// TestBrowserCards clicks a digest card's 已完成 in headless Chromium and
// sees the card update in place with the actor's view, its buttons gone;
// the tap reached the actor once with the chat's ID and the typed name.
// Without Chromium it skips, unless $CI is set.
func TestBrowserCards(t *testing.T) {
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
	f := &fakeActor{seen: map[string]bool{}}
	srv := newLoopbackServer(t, New(cardsConfig(f)))
	b, err := browser.Launch(ctx, path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p, err := b.NewPage(ctx, 1280, 860)
	if err != nil {
		t.Fatal(err)
	}
	shot := func(name string) {
		dir := os.Getenv("DUBAN_ARTIFACTS")
		if dir == "" {
			return
		}
		if png, err := p.Screenshot(ctx); err == nil && os.MkdirAll(dir, 0o755) == nil {
			os.WriteFile(filepath.Join(dir, "emulator-"+name+".png"), png, 0o644)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			shot("cards-failure")
			t.Fatal(err)
		}
	}
	must(p.Navigate(ctx, srv.URL+"/"))
	_, err = p.WaitText(ctx, "body[data-ready] #chat-title", "住建局工作群", 10000)
	must(err)
	must(p.Eval(ctx, `(() => { const u = document.getElementById("user"); u.value = "王五"; })()`, nil))
	must(p.Click(ctx, "#tab-remind"))
	must(p.Eval(ctx, `(() => { const i = document.getElementById("remind-at"); i.value = "2020-08-25T09:00";
		i.dispatchEvent(new Event("input")); })()`, nil))
	must(p.Click(ctx, "#remind-run"))
	_, err = p.WaitText(ctx, ".task-card .task-title", "重点工作第76项", 10000)
	must(err)
	shot("cards-before")
	must(p.Click(ctx, `.task-card button[data-verb="done"]`))
	got, err := p.WaitText(ctx, ".task-card .view-title", "待审核", 10000)
	must(err)
	if !strings.Contains(got, "重点工作第76项") {
		t.Errorf("card view = %q", got)
	}
	var left int
	must(p.Eval(ctx, `document.querySelectorAll(".task-card button").length`, &left))
	if left != 0 {
		t.Errorf("%d buttons left on a final card, want none", left)
	}
	shot("cards-after")
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.acts) != 1 || f.acts[0].UserName != "王五" || f.acts[0].ChatID != "cid-zjj" || f.acts[0].Verb != "done" {
		t.Errorf("actions = %+v", f.acts)
	}
}
