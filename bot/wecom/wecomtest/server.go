package wecomtest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Endpoints, as named in Sent, Fail and Calls.
const (
	GetToken      = "gettoken"
	Webhook       = "webhook/send"
	MessageSend   = "message/send"
	AppChatSend   = "appchat/send"
	AIBotResponse = "aibot/response"
)

// Options configure the fake; zero fields get working defaults.
type Options struct {
	CorpID      string   // default "wwfakecorp"
	AgentID     int64    // default 1000002
	Secret      string   // the app secret gettoken accepts
	WebhookKeys []string // accepted webhook keys; default {"fake-webhook-key"}
	TokenTTL    time.Duration
}

// A Failure replaces the next answer of an endpoint.
type Failure struct {
	Status  int    // HTTP status instead of 200 (body is plain text)
	ErrCode int    // errcode of a 200 JSON reply
	ErrMsg  string //
	// Delay holds the answer this long, or until the client gives up.
	Delay time.Duration
}

// Sent is one accepted outbound message.
type Sent struct {
	Endpoint            string
	Key                 string // webhook key
	ChatID              string // appchat
	ToUser              string // message/send
	AgentID             int64
	MsgType             string
	Content             string
	MentionedList       []string
	MentionedMobileList []string
	AccessToken         string
	Body                []byte
}

// Server is the fake WeCom on 127.0.0.1. App and AIBot are the callback
// credentials to configure the code under test with.
type Server struct {
	URL   string
	App   Crypto // ReceiveID = CorpID
	AIBot Crypto // ReceiveID = ""
	Opts  Options

	t        testing.TB
	srv      *httptest.Server
	mu       sync.Mutex
	sent     []Sent
	calls    map[string]int
	failures map[string][]Failure
	tokens   map[string]bool // issued token → still valid
	codes    map[string]bool // response_url codes not yet used
	cards    cardState       // cards.go
	closing  chan struct{}   // releases delayed answers when the test ends
}

// New starts a fake WeCom; it stops when the test ends. Wire-format
// violations by the client fail t.
func New(t testing.TB, o Options) *Server {
	if o.CorpID == "" {
		o.CorpID = "wwfakecorp"
	}
	if o.AgentID == 0 {
		o.AgentID = 1000002
	}
	if o.Secret == "" {
		o.Secret = "fake-app-secret-" + randHex(8)
	}
	if len(o.WebhookKeys) == 0 {
		o.WebhookKeys = []string{"fake-webhook-key"}
	}
	if o.TokenTTL == 0 {
		o.TokenTTL = 7200 * time.Second
	}
	s := &Server{
		Opts: o, t: t,
		App:   Crypto{Token: "tok" + randHex(6), EncodingAESKey: NewEncodingAESKey(), ReceiveID: o.CorpID},
		AIBot: Crypto{Token: "bot" + randHex(6), EncodingAESKey: NewEncodingAESKey()},
		calls: map[string]int{}, failures: map[string][]Failure{},
		tokens: map[string]bool{}, codes: map[string]bool{}, closing: make(chan struct{}),
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(func() {
		close(s.closing)
		s.srv.Close()
	})
	return s
}

// NewEncodingAESKey returns a random 43-character EncodingAESKey.
func NewEncodingAESKey() string {
	k := make([]byte, 32)
	rand.Read(k)
	return strings.TrimSuffix(base64.StdEncoding.EncodeToString(k), "=")
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Fail queues failures for the next calls of endpoint, in order.
func (s *Server) Fail(endpoint string, fs ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[endpoint] = append(s.failures[endpoint], fs...)
}

// ExpireTokens makes every issued access_token expired (errcode 42001).
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.tokens {
		s.tokens[k] = false
	}
}

// Sent returns the messages accepted so far, in order.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// Calls returns how many requests endpoint received, failures included.
func (s *Server) Calls(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[endpoint]
}

// ResponseURL returns a fresh one-use AI-bot response_url.
func (s *Server) ResponseURL() string {
	code := randHex(12)
	s.mu.Lock()
	s.codes[code] = true
	s.mu.Unlock()
	return s.URL + "/cgi-bin/aibot/response?response_code=" + code
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	ep := strings.TrimPrefix(r.URL.Path, "/cgi-bin/")
	s.mu.Lock()
	s.calls[ep]++
	var f *Failure
	if q := s.failures[ep]; len(q) > 0 {
		f, s.failures[ep] = &q[0], q[1:]
	}
	s.mu.Unlock()
	// Read the body first: only then does net/http watch the connection
	// and cancel r.Context() when a client gives up on a slow answer.
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return
	}
	if f != nil {
		s.fail(w, r, *f)
		return
	}
	if ep == GetToken {
		s.getToken(w, r)
		return
	}
	sent, code, msg := s.acceptAny(ep, r, body) // cards.go: template cards, else accept
	if code == 0 {
		s.mu.Lock()
		s.sent = append(s.sent, sent)
		s.mu.Unlock()
		msg = "ok"
	}
	writeJSON(w, map[string]any{"errcode": code, "errmsg": msg})
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, f Failure) {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		}
	}
	if f.Status != 0 && f.Status != http.StatusOK {
		http.Error(w, http.StatusText(f.Status), f.Status)
		return
	}
	writeJSON(w, map[string]any{"errcode": f.ErrCode, "errmsg": f.ErrMsg})
}

func (s *Server) getToken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case r.Method != http.MethodGet:
		s.violation("gettoken must be GET, got %s", r.Method)
		writeJSON(w, map[string]any{"errcode": 43001, "errmsg": "require GET method"})
	case q.Get("corpid") != s.Opts.CorpID:
		writeJSON(w, map[string]any{"errcode": 40013, "errmsg": "invalid corpid"})
	case q.Get("corpsecret") != s.Opts.Secret:
		writeJSON(w, map[string]any{"errcode": 40001, "errmsg": "invalid credential"})
	default:
		tok := "at-" + randHex(16)
		s.mu.Lock()
		s.tokens[tok] = true
		s.mu.Unlock()
		writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "access_token": tok,
			"expires_in": int(s.Opts.TokenTTL / time.Second)})
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	json.NewEncoder(w).Encode(v)
}

// violation reports a wire-format error by the client under test.
func (s *Server) violation(format string, args ...any) {
	s.t.Errorf("wecomtest: wire format: "+format, args...)
}

// tokenCode checks the access_token query parameter.
func (s *Server) tokenCode(tok string) (int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	valid, known := s.tokens[tok]
	switch {
	case tok == "":
		return 41001, "access_token missing"
	case !known:
		return 40014, "invalid access_token"
	case !valid:
		return 42001, "access_token expired"
	}
	return 0, ""
}
