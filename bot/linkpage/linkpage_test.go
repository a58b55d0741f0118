package linkpage

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"duban/bot"
	"duban/kb"
)

var key = []byte("0123456789abcdef0123456789abcdef")

var testChats = []string{"住建局工作群", "c"}

func testSigner(t *testing.T, now func() time.Time) *Signer {
	t.Helper()
	s, err := NewSigner(key, testChats, now)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTokenRoundTrip(t *testing.T) {
	now := time.Date(2020, 9, 3, 9, 0, 0, 0, kb.Location)
	s := testSigner(t, func() time.Time { return now })
	in := Token{Table: "key_tasks", No: 76, Chat: "住建局工作群", Verb: bot.VerbDone, Expires: now.Add(time.Hour)}
	str, err := s.Sign(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Verify(str)
	if err != nil || got.Table != in.Table || got.No != 76 || got.Chat != in.Chat || got.Verb != in.Verb || !got.Expires.Equal(in.Expires) || got.ID() == "000000000000" {
		t.Fatalf("Verify(Sign(%+v)) = %+v, %v", in, got, err)
	}
	if len(str) > 50 {
		t.Errorf("token is %d characters, want a short link", len(str))
	}
	// Two links of the same task and verb are different tokens.
	if str2, _ := s.Sign(in); str2 == str {
		t.Error("two signatures share a nonce")
	}
}

// TestTokenForged: every single-character change of a token, and a token
// signed with another key, is refused as forged; a token past its time as
// expired.
func TestTokenForged(t *testing.T) {
	now := time.Date(2020, 9, 3, 9, 0, 0, 0, kb.Location)
	s := testSigner(t, func() time.Time { return now })
	str, _ := s.Sign(Token{Table: "key_tasks", No: 76, Chat: "c", Verb: bot.VerbDone, Expires: now.Add(time.Hour)})
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
	for i := range len(str) {
		for _, c := range []byte{alphabet[(strings.IndexByte(alphabet, str[i])+1)%len(alphabet)], alphabet[(strings.IndexByte(alphabet, str[i])+7)%len(alphabet)]} {
			bad := str[:i] + string(c) + str[i+1:]
			if bad == str {
				continue
			}
			if _, err := s.Verify(bad); !errors.Is(err, ErrForged) {
				// Base64's last character may carry unused bits that decode alike.
				if tok, err2 := s.Verify(bad); err2 == nil && tok.No == 76 {
					continue
				}
				t.Fatalf("Verify(token with byte %d changed) = %v, want ErrForged", i, err)
			}
		}
	}
	other, _ := NewSigner([]byte(strings.Repeat("k", 32)), testChats, func() time.Time { return now })
	if _, err := other.Verify(str); !errors.Is(err, ErrForged) {
		t.Errorf("another key's Verify = %v, want ErrForged", err)
	}
	later := testSigner(t, func() time.Time { return now.Add(time.Hour) })
	if _, err := later.Verify(str); !errors.Is(err, ErrExpired) {
		t.Errorf("Verify at expiry = %v, want ErrExpired", err)
	}
	// A chat the verifier does not know (removed from the config) is no
	// chat; a signer refuses a chat it was not given.
	fewer, _ := NewSigner(key, []string{"c"}, func() time.Time { return now })
	zjj, _ := s.Sign(Token{Table: "key_tasks", No: 76, Chat: "住建局工作群", Verb: bot.VerbDone, Expires: now.Add(time.Hour)})
	if _, err := fewer.Verify(zjj); !errors.Is(err, ErrForged) {
		t.Errorf("Verify of a token for an unconfigured chat = %v, want ErrForged", err)
	}
	if _, err := fewer.Sign(Token{Table: "key_tasks", No: 76, Chat: "住建局工作群", Verb: bot.VerbDone, Expires: now.Add(time.Hour)}); err == nil {
		t.Error("Sign for an unconfigured chat: no error")
	}
	// A table without a code travels by name.
	odd, _ := s.Sign(Token{Table: "library_x", No: 3, Chat: "c", Verb: bot.VerbExtend, Expires: now.Add(time.Hour)})
	if tok, err := s.Verify(odd); err != nil || tok.Table != "library_x" || tok.No != 3 || tok.Verb != bot.VerbExtend {
		t.Errorf("Verify(uncoded table) = %+v, %v", tok, err)
	}
	for _, junk := range []string{"", ".", "abc", "abc.def", strings.Repeat("A", 500)} {
		if _, err := s.Verify(junk); !errors.Is(err, ErrForged) {
			t.Errorf("Verify(%q) = %v, want ErrForged", junk, err)
		}
	}
}

// fakeActor records the actions it was handed.
type fakeActor struct {
	mu   sync.Mutex
	acts []bot.CardAction
}

func (f *fakeActor) Act(_ context.Context, a bot.CardAction) (bot.CardView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.acts = append(f.acts, a)
	return bot.CardView{Title: "已登记完成，待审核", Final: true}, nil
}

type memUsed struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (m *memUsed) FirstSeen(_ context.Context, key string, _ time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seen[key] {
		return false, nil
	}
	m.seen[key] = true
	return true, nil
}

func TestPage(t *testing.T) {
	now := time.Now()
	s := testSigner(t, nil)
	b, err := kb.New(kb.Contents{Records: []kb.Record{{Table: kb.KeyTasks, No: 76, Text: "推进城区道路改造工程", LeadUnits: []string{"住建局"}, DeadlineText: "8月底前"}}})
	if err != nil {
		t.Fatal(err)
	}
	actor := &fakeActor{}
	srv := httptest.NewServer(New(Config{Signer: s, Actor: actor, Used: &memUsed{seen: map[string]bool{}}, Base: func() *kb.Base { return b }}))
	defer srv.Close()
	sign := func(verb string, exp time.Time) string {
		str, err := s.Sign(Token{Table: string(kb.KeyTasks), No: 76, Chat: "住建局工作群", Verb: verb, Expires: exp})
		if err != nil {
			t.Fatal(err)
		}
		return srv.URL + "/l/" + str
	}
	get := func(u string) (int, string) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: Referrer-Policy %q", u, resp.Header.Get("Referrer-Policy"))
		}
		return resp.StatusCode, string(body)
	}
	post := func(u string, form url.Values) (int, string) {
		resp, err := http.PostForm(u, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	link := sign(bot.VerbDone, now.Add(time.Hour))
	if code, body := get(link); code != 200 || !strings.Contains(body, "重点工作第76项") || !strings.Contains(body, "推进城区道路改造工程") || !strings.Contains(body, "已完成") || !strings.Contains(body, `name="name"`) {
		t.Fatalf("GET = %d\n%s", code, body)
	}
	// GET twice (a chat's link preview) spends nothing.
	get(link)
	if code, body := post(link, url.Values{"name": {""}}); code != 400 || !strings.Contains(body, "请填写您的姓名") {
		t.Fatalf("POST without a name = %d\n%s", code, body)
	}
	if code, body := post(link, url.Values{"name": {"王五"}}); code != 200 || !strings.Contains(body, "待审核") {
		t.Fatalf("POST = %d\n%s", code, body)
	}
	if len(actor.acts) != 1 || actor.acts[0].UserName != "王五" || actor.acts[0].ChatID != "住建局工作群" || actor.acts[0].Platform != "link" || actor.acts[0].No != 76 {
		t.Fatalf("actions = %+v", actor.acts)
	}
	if code, body := post(link, url.Values{"name": {"王五"}}); code != 403 || !strings.Contains(body, "已使用") {
		t.Errorf("reused link = %d\n%s", code, body)
	}
	if code, body := post(sign(bot.VerbDone, now.Add(-time.Second)), url.Values{"name": {"王五"}}); code != 403 || !strings.Contains(body, "已过期") {
		t.Errorf("expired link = %d\n%s", code, body)
	}
	forged := strings.Replace(link, "/l/", "/l/A", 1)
	if code, body := post(forged, url.Values{"name": {"王五"}}); code != 403 || !strings.Contains(body, "链接无效") {
		t.Errorf("forged link = %d\n%s", code, body)
	}
	ext := sign(bot.VerbExtend, now.Add(time.Hour))
	if code, body := post(ext, url.Values{"name": {"王五"}}); code != 400 || !strings.Contains(body, "延期到的日期") {
		t.Errorf("extension without a date = %d\n%s", code, body)
	}
	if code, _ := post(ext, url.Values{"name": {"王五"}, "date": {"10月底"}, "reason": {"拆迁未完成"}}); code != 200 {
		t.Errorf("extension = %d", code)
	}
	if a := actor.acts[len(actor.acts)-1]; a.Verb != bot.VerbExtend || a.Extension != "10月底" || a.Reason != "拆迁未完成" {
		t.Errorf("extension action = %+v", a)
	}
	// Nothing else is reachable from the page.
	for _, p := range []string{"/", "/l/", "/l/x/y", "/api/ask", "/dashboard"} {
		if code, _ := get(srv.URL + p); code != 404 && code != 403 {
			t.Errorf("GET %s = %d, want 404 or 403", p, code)
		}
	}
	if len(actor.acts) != 2 {
		t.Errorf("%d actions after refusals, want 2", len(actor.acts))
	}
}
