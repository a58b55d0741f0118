package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
)

// fakeBot answers the questions the tests ask, as a HandlerFunc would, and
// records the last message it was given.
type fakeBot struct {
	mu   sync.Mutex
	last *bot.Message
}

func (f *fakeBot) lastMsg() *bot.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

func (f *fakeBot) answer(_ context.Context, m *bot.Message) (handlers.Reply, error) {
	f.mu.Lock()
	f.last = m
	f.mu.Unlock()
	switch {
	case strings.Contains(m.Text, "76号"):
		return handlers.Reply{
			Intent:  "task",
			Head:    "重点工作第76项：牵头领导：周国强；牵头单位：市住建局",
			Lines:   []string{"任务：推进城市更新*试点*工作", "完成时限：8月底前（2020年8月31日）"},
			Cite:    "来源：2020年市政府重点工作任务分解表 第76项",
			Sources: []kb.Source{{File: "fixture.txt", Line: 3, Title: "2020年市政府重点工作任务分解表", Row: 76}},
		}, nil
	case m.Text == "busy":
		return handlers.Reply{}, bot.ErrBusy
	case m.Text == "长":
		return handlers.Reply{Intent: "list", Head: "很多", Lines: []string{strings.Repeat("任务很长。", 200)}}, nil
	}
	return handlers.Reply{Intent: "not_found", Head: "未找到", NotFound: true}, nil
}

var testNow = time.Date(2020, 8, 25, 9, 0, 0, 0, shanghai)

func remindFake(_ context.Context, now time.Time) ([]Digest, error) {
	if now.Year() != 2020 {
		return nil, nil
	}
	if now.Month() == time.January {
		return nil, errors.New("ledger unavailable")
	}
	return []Digest{{
		Chat:  "住建局工作群",
		Units: []string{"市住建局"},
		Text:  "**督办提醒（" + now.Format("1月2日") + "）**\n【还剩6天】重点工作第76项 推进城市更新试点工作\n> 来源：2020年市政府重点工作任务分解表",
	}}, nil
}

func kbFake() KBSummary {
	return KBSummary{
		Loaded:   testNow,
		Tables:   []TableCount{{Name: "key_tasks", Title: "2020年市政府重点工作任务分解表", Count: 3}},
		Units:    []NameCount{{Name: "市住建局", Count: 2}, {Name: "市交通运输局", Count: 1}},
		Leaders:  []NameCount{{Name: "周国强", Count: 2, Note: "市住建局"}},
		Passages: 42,
		Warnings: []string{"fixture.txt:9: row 3: lead unit inherited"},
	}
}

func newTestConfig(f *fakeBot) Config {
	return Config{
		Handler:   f.answer,
		Chats:     []Chat{{Name: "住建局工作群", Units: []string{"市住建局"}, ID: "cid-zjj"}, {Name: "交通局工作群"}},
		Remind:    remindFake,
		KBSummary: kbFake,
		Now:       func() time.Time { return testNow },
	}
}

// newLoopbackServer serves h on 127.0.0.1 until the test ends.
func newLoopbackServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func postAsk(t *testing.T, srv *httptest.Server, body string) (int, map[string]any) {
	t.Helper()
	resp, err := srv.Client().Post(srv.URL+"/emulator/api/ask", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("ask response is not JSON: %v", err)
	}
	return resp.StatusCode, out
}

func TestAsk(t *testing.T) {
	f := &fakeBot{}
	srv := httptest.NewServer(New(newTestConfig(f)))
	defer srv.Close()

	tests := []struct {
		name       string
		body       string
		wantStatus int
		wantIn     string // in the first message, or the error
		wantPieces int
	}{
		{"wecom markdown", `{"platform":"wecom","chat":"住建局工作群","user":"张三","text":"76号任务谁牵头"}`, 200, "**重点工作第76项：牵头领导：周国强", 1},
		{"dingtalk markdown escapes", `{"platform":"dingtalk","chat":"","user":"李四","text":"76号任务谁牵头"}`, 200, `城市更新\*试点\*工作`, 1},
		{"wecom app plain", `{"platform":"wecom_app","text":"76号任务谁牵头"}`, 200, "重点工作第76项：牵头领导：周国强；", 1},
		{"split at the text limit", `{"platform":"wecom_app","text":"长"}`, 200, "很多", 3},
		{"unknown platform", `{"platform":"slack","text":"76号任务谁牵头"}`, 400, "unknown platform", 0},
		{"unknown chat", `{"platform":"wecom","chat":"无此群","text":"76号"}`, 400, "unknown chat", 0},
		{"empty text", `{"platform":"wecom","text":"  "}`, 400, "text must be", 0},
		{"not json", `platform=wecom`, 400, "bad request body", 0},
		{"unknown field", `{"platform":"wecom","text":"x","extra":1}`, 400, "bad request body", 0},
		{"busy", `{"platform":"wecom","text":"busy"}`, 503, "too many", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out := postAsk(t, srv, tt.body)
			if status != tt.wantStatus {
				t.Fatalf("status = %d (%v), want %d", status, out, tt.wantStatus)
			}
			if tt.wantStatus != 200 {
				if e, _ := out["error"].(string); !strings.Contains(e, tt.wantIn) {
					t.Errorf("error = %q, want %q in it", e, tt.wantIn)
				}
				return
			}
			msgs, _ := out["messages"].([]any)
			if len(msgs) != tt.wantPieces {
				t.Fatalf("%d messages, want %d", len(msgs), tt.wantPieces)
			}
			if first, _ := msgs[0].(string); !strings.Contains(first, tt.wantIn) {
				t.Errorf("messages[0] = %q, want %q in it", first, tt.wantIn)
			}
		})
	}

	// The message handed to the handler.
	postAsk(t, srv, `{"platform":"wecom","chat":"住建局工作群","user":"张三","text":"76号任务谁牵头"}`)
	m := f.lastMsg()
	if m.Platform != bot.Emulator || m.ChatID != "cid-zjj" || m.ChatType != "group" || m.UserID != "张三" || m.ID == "" {
		t.Errorf("handler got %+v, want emulator platform, chat cid-zjj, group, user 张三, an ID", m)
	}
	postAsk(t, srv, `{"platform":"wecom","chat":"交通局工作群","text":"76号任务谁牵头"}`)
	if m := f.lastMsg(); m.ChatID != "交通局工作群" || m.UserID != "emulator" {
		t.Errorf("chat without ID: got ChatID %q, UserID %q; want the chat name and emulator", m.ChatID, m.UserID)
	}
	_, out := postAsk(t, srv, `{"platform":"dingtalk","text":"76号任务谁牵头"}`)
	if out["intent"] != "task" || out["markdown"] != true || out["dialect"] != "dingtalk_markdown" {
		t.Errorf("ask response %v, want intent task, markdown, dingtalk_markdown", out)
	}
	if srcs, _ := out["sources"].([]any); len(srcs) != 1 {
		t.Errorf("sources = %v, want the one source", out["sources"])
	}
}

func TestAskNeedsJSONContentType(t *testing.T) {
	srv := httptest.NewServer(New(newTestConfig(&fakeBot{})))
	defer srv.Close()
	// What a cross-site HTML form can send without a CORS preflight.
	resp, err := srv.Client().Post(srv.URL+"/emulator/api/ask", "text/plain", strings.NewReader(`{"platform":"wecom","text":"76号"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain ask = %d, want 415", resp.StatusCode)
	}
}

func getJSON(t *testing.T, srv *httptest.Server, path string, v any) int {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: not JSON: %v", path, err)
	}
	return resp.StatusCode
}

func TestRemind(t *testing.T) {
	srv := httptest.NewServer(New(newTestConfig(&fakeBot{})))
	defer srv.Close()
	tests := []struct {
		name        string
		query       string
		wantStatus  int
		wantDigests int
		wantNow     string
	}{
		{"chosen date", "?now=2020-08-25T09:00:00%2B08:00", 200, 1, "2020-08-25T09:00:00+08:00"},
		{"utc input shown in shanghai", "?now=2020-08-25T01:00:00Z", 200, 1, "2020-08-25T09:00:00+08:00"},
		{"default clock", "", 200, 1, "2020-08-25T09:00:00+08:00"},
		{"nothing due", "?now=2021-01-04T09:00:00%2B08:00", 200, 0, "2021-01-04T09:00:00+08:00"},
		{"bad time", "?now=yesterday", 400, 0, ""},
		{"plan fails", "?now=2020-01-06T09:00:00%2B08:00", 500, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out struct {
				Now     string   `json:"now"`
				Digests []Digest `json:"digests"`
				Error   string   `json:"error"`
			}
			status := getJSON(t, srv, "/emulator/api/remind"+tt.query, &out)
			if status != tt.wantStatus {
				t.Fatalf("status = %d (%+v), want %d", status, out, tt.wantStatus)
			}
			if status != 200 {
				if out.Error == "" {
					t.Error("no error message")
				}
				return
			}
			if len(out.Digests) != tt.wantDigests || out.Now != tt.wantNow {
				t.Errorf("got now %s and %d digests, want %s and %d", out.Now, len(out.Digests), tt.wantNow, tt.wantDigests)
			}
			if out.Digests == nil {
				t.Error("digests is null, want []")
			}
		})
	}
}

func TestKBAndConfig(t *testing.T) {
	srv := httptest.NewServer(New(newTestConfig(&fakeBot{})))
	defer srv.Close()
	var k KBSummary
	if s := getJSON(t, srv, "/emulator/api/kb", &k); s != 200 || k.Passages != 42 || len(k.Units) != 2 || k.Tables[0].Count != 3 {
		t.Errorf("kb = %d %+v", s, k)
	}
	var c configResponse
	if s := getJSON(t, srv, "/emulator/api/config", &c); s != 200 || len(c.Chats) != 2 || len(c.Platforms) != 3 ||
		!c.Remind || !c.KB || c.Now != "2020-08-25T09:00:00+08:00" {
		t.Errorf("config = %d %+v", s, c)
	}
}

func TestFeaturesOff(t *testing.T) {
	srv := httptest.NewServer(New(Config{Handler: (&fakeBot{}).answer}))
	defer srv.Close()
	var out map[string]any
	for _, p := range []string{"/emulator/api/remind", "/emulator/api/kb"} {
		if s := getJSON(t, srv, p, &out); s != http.StatusNotImplemented {
			t.Errorf("GET %s without the feature = %d, want 501", p, s)
		}
	}
	var c configResponse
	getJSON(t, srv, "/emulator/api/config", &c)
	if c.Remind || c.KB || c.Chats == nil {
		t.Errorf("config = %+v, want remind and kb off, chats []", c)
	}
}

func TestPageAndAssets(t *testing.T) {
	srv := httptest.NewServer(New(newTestConfig(&fakeBot{})))
	defer srv.Close()
	tests := []struct {
		path       string
		wantStatus int
		wantType   string
		wantIn     string
	}{
		{"/", 200, "text/html", "督办 duban"},
		{"/emulator/static/app.js", 200, "javascript", "renderMarkdown"},
		{"/emulator/static/style.css", 200, "text/css", ".bubble"},
		{"/emulator/static/nope.js", 404, "", ""},
		{"/favicon.ico", 404, "", ""},
	}
	for _, tt := range tests {
		resp, err := srv.Client().Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.wantStatus || !strings.Contains(resp.Header.Get("Content-Type"), tt.wantType) ||
			!strings.Contains(string(body), tt.wantIn) {
			t.Errorf("GET %s = %d %s, want %d %s containing %q", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"),
				tt.wantStatus, tt.wantType, tt.wantIn)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: CSP %q does not restrict the page to itself", tt.path, csp)
		}
	}
	// No asset may come from outside the binary.
	for _, p := range []string{"/", "/emulator/static/app.js", "/emulator/static/style.css"} {
		resp, _ := srv.Client().Get(srv.URL + p)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), "http://") || strings.Contains(string(body), "https://") {
			t.Errorf("%s references an external URL", p)
		}
	}
}

func TestAccess(t *testing.T) {
	open := New(newTestConfig(&fakeBot{}))
	cfg := newTestConfig(&fakeBot{})
	cfg.Token = "s3cret-token"
	guarded := New(cfg)
	tests := []struct {
		name   string
		h      http.Handler
		remote string
		host   string
		target string
		header string
		cookie string
		want   int
	}{
		{"loopback v4", open, "127.0.0.1:5555", "127.0.0.1:8080", "/", "", "", 200},
		{"loopback v6", open, "[::1]:5555", "[::1]:8080", "/", "", "", 200},
		{"localhost name", open, "127.0.0.1:5555", "localhost:8080", "/", "", "", 200},
		{"remote peer", open, "192.168.1.20:5555", "127.0.0.1:8080", "/", "", "", 403},
		{"remote peer api", open, "10.0.0.7:5555", "10.0.0.1:8080", "/emulator/api/kb", "", "", 403},
		{"dns rebinding", open, "127.0.0.1:5555", "evil.example:8080", "/emulator/api/kb", "", "", 403},
		{"token missing", guarded, "127.0.0.1:5555", "127.0.0.1:8080", "/", "", "", 401},
		{"token wrong", guarded, "10.0.0.7:5555", "duban.lan:8080", "/?token=nope", "", "", 401},
		{"token query from remote", guarded, "10.0.0.7:5555", "duban.lan:8080", "/?token=s3cret-token", "", "", 200},
		{"token header", guarded, "10.0.0.7:5555", "duban.lan:8080", "/emulator/api/kb", "s3cret-token", "", 200},
		{"token cookie", guarded, "10.0.0.7:5555", "duban.lan:8080", "/emulator/static/app.js", "", "s3cret-token", 200},
		{"bad cookie", guarded, "10.0.0.7:5555", "duban.lan:8080", "/emulator/static/app.js", "", "nope", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tt.target, nil)
			req.RemoteAddr, req.Host = tt.remote, tt.host
			if tt.header != "" {
				req.Header.Set("X-Duban-Token", tt.header)
			}
			if tt.cookie != "" {
				req.AddCookie(&http.Cookie{Name: "duban_token", Value: tt.cookie})
			}
			rec := httptest.NewRecorder()
			tt.h.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("GET %s from %s (Host %s) = %d, want %d", tt.target, tt.remote, tt.host, rec.Code, tt.want)
			}
		})
	}
	// A valid ?token= sets the cookie the page's assets then carry.
	req := httptest.NewRequest("GET", "/?token=s3cret-token", nil)
	rec := httptest.NewRecorder()
	guarded.ServeHTTP(rec, req)
	c := rec.Result().Cookies()
	if len(c) != 1 || c[0].Name != "duban_token" || !c[0].HttpOnly || c[0].SameSite != http.SameSiteStrictMode {
		t.Errorf("cookies after ?token= = %v, want one HttpOnly SameSite=Strict duban_token", c)
	}
}

func TestNewPanicsWithoutHandler(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New(Config{}) did not panic")
		}
	}()
	New(Config{})
}
