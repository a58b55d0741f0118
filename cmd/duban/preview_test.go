package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"duban/bot/wecom/wecomtest"
)

// previewPush is the part of `remind --dry-run --json` these tests read.
type previewPush struct {
	Chat  string   `json:"chat"`
	Units []string `json:"units"`
	Tasks []struct {
		No          int  `json:"no"`
		AlreadySent bool `json:"already_sent"`
	} `json:"tasks"`
	Messages []string `json:"messages"`
	NoChat   bool     `json:"no_chat"`
}

func dryRunJSON(t *testing.T, args ...string) []previewPush {
	t.Helper()
	out, stderr, err := runCLI(t, "", append([]string{"remind", "--docs", seeds(t), "--now", e2eTickNow, "--dry-run", "--json"}, args...)...)
	if err != nil {
		t.Fatalf("remind --dry-run: %v\n%s", err, stderr)
	}
	var ps []previewPush
	if err := json.Unmarshal([]byte(out), &ps); err != nil {
		t.Fatalf("remind --dry-run --json: %v\n%s", err, out)
	}
	return ps
}

// TestDryRunAfterSend: the dry run reads the ledger; after `remind --send`
// every reminder of the tick shows as already sent and nothing is left to
// post, and before it the dry run's messages are what the platform gets.
func TestDryRunAfterSend(t *testing.T) {
	chats := e2eTickChats()
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: e2eKeys(chats)})
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := e2eConfig{DataDir: filepath.Join(dir, "data"), WeCom: wc, Chats: chats, Reminders: true}.write(t, dir)

	before := dryRunJSON(t, "--config", cfg)
	var previewed []string
	tasks := 0
	for _, p := range before {
		for _, task := range p.Tasks {
			tasks++
			if task.AlreadySent {
				t.Errorf("%s: task %d already sent before any send", p.Chat, task.No)
			}
		}
		previewed = append(previewed, p.Messages...)
	}
	if tasks == 0 || len(previewed) == 0 {
		t.Fatalf("dry run before the send previews %d tasks in %d messages, want some", tasks, len(previewed))
	}

	if _, stderr, err := runCLI(t, "", "remind", "--docs", seeds(t), "--config", cfg, "--now", e2eTickNow, "--send"); err != nil {
		t.Fatalf("remind --send: %v\n%s", err, stderr)
	}
	var got []string
	for _, s := range wc.Sent() {
		if s.Endpoint == wecomtest.Webhook {
			got = append(got, s.Content)
		}
	}
	if len(got) != len(previewed) {
		t.Errorf("sent %d messages, the dry run previewed %d", len(got), len(previewed))
	}
	for _, m := range previewed {
		// The sender may append the @ of the mentions; the text is the preview's.
		found := false
		for _, g := range got {
			if strings.HasPrefix(g, m) {
				found = true
			}
		}
		if !found {
			t.Errorf("previewed message not sent:\n%s", m)
		}
	}

	after := dryRunJSON(t, "--config", cfg)
	for _, p := range after {
		for _, task := range p.Tasks {
			if !task.AlreadySent {
				t.Errorf("%s: task %d not marked already sent after the send", p.Chat, task.No)
			}
		}
		if len(p.Messages) > 0 {
			t.Errorf("%s: %d messages still to send after the send", p.Chat, len(p.Messages))
		}
	}
}

// TestDryRunNoChats: with no chats configured, the dry run shows what each
// unit would receive and that no chat is configured for it.
func TestDryRunNoChats(t *testing.T) {
	ps := dryRunJSON(t)
	if len(ps) == 0 {
		t.Fatal("no per-unit previews")
	}
	for _, p := range ps {
		if !p.NoChat || len(p.Units) != 1 || p.Chat != p.Units[0] || len(p.Messages) == 0 {
			t.Errorf("preview %+v: want one unit, no_chat, its messages", p)
		}
	}
	out, _, err := runCLI(t, "", "remind", "--docs", seeds(t), "--now", e2eTickNow, "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "(no chat is configured for this unit)") {
		t.Errorf("text dry run does not say no chat is configured:\n%s", out)
	}
}
