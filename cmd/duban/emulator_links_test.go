package main

import (
	"encoding/json"
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"duban/bot/wecom/wecomtest"
)

// TestServeEmulatorPanelLinks: with webhook chats and links configured,
// the emulator's reminders panel shows the digests with their one-tap
// links, signed with the dry run's throwaway key: the real link page
// refuses each of them, so a click in the emulator records nothing in the
// real journal.
func TestServeEmulatorPanelLinks(t *testing.T) {
	chats := e2eReviewChats()
	wc := wecomtest.New(t, wecomtest.Options{WebhookKeys: e2eKeys(chats)})
	dir := t.TempDir()
	cfgPath := e2eConfig{DataDir: dir + "/data", WeCom: wc, Chats: chats, Reminders: true}.write(t, dir)
	f, err := os.OpenFile(cfgPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("review:\n  enabled: true\n  chats: [\"督查办工作群\"]\n" +
		"links:\n  base_url: \"https://duban.example.test\"\n  key: \"" + e2eLinkKey + "\"\n")
	f.Close()
	s := e2eStartServe(t, seeds(t), cfgPath)

	status, body := e2eGet(t, s.URL+"/emulator/api/remind?now="+url.QueryEscape(e2eTickNow))
	var rr struct {
		Digests []struct{ Chat, Text string }
	}
	if err := json.Unmarshal(body, &rr); status != 200 || err != nil {
		t.Fatalf("remind panel = %d %v\n%s", status, err, body)
	}
	re := regexp.MustCompile(`https://duban\.example\.test/l/([A-Za-z0-9_.-]+)`)
	var links []string
	for _, d := range rr.Digests {
		for _, m := range re.FindAllStringSubmatch(d.Text, -1) {
			links = append(links, m[1])
		}
	}
	if len(links) == 0 {
		t.Fatalf("the panel shows no one-tap links:\n%s", body)
	}
	real := mustSigner(t)
	for i, tok := range links {
		if got, err := real.Verify(tok); err == nil {
			t.Errorf("panel link %d verifies with the real key: %+v", i, got)
		}
		if i >= 3 {
			continue // the page's refusals, on a few
		}
		for _, method := range []string{"GET", "POST"} {
			var code int
			var page string
			if method == "GET" {
				code, page = pageDo(t, s.URL+"/l/"+tok, nil)
			} else {
				code, page = pageDo(t, s.URL+"/l/"+tok, url.Values{"name": {"王五"}})
			}
			if code != 403 || !strings.Contains(page, "链接无效") {
				t.Errorf("%s panel link %d = %d, want 403 链接无效\n%s", method, i, code, page)
			}
		}
	}
	// And nothing reached the journal.
	out, stderr, err := runCLI(t, "", "status", "export", "--config", cfgPath)
	if err != nil {
		t.Fatalf("status export: %v\n%s", err, stderr)
	}
	if strings.Contains(out, "待审核") || strings.Contains(out, "王五") {
		t.Errorf("the journal holds a report after the panel's links were opened:\n%s", out)
	}
}

// pageDo GETs u, or POSTs form to it, and returns the status and body.
func pageDo(t *testing.T, u string, form url.Values) (int, string) {
	t.Helper()
	resp, err := e2eClient.Get(u)
	if form != nil {
		resp, err = e2eClient.PostForm(u, form)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
