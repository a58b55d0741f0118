package dingtalktest

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Error codes the fake answers with. 130101, 310000 and 300001 are the
// codes DingTalk is observed to send (PROTOCOLS §5); 40035 for a bad
// payload and 300001 for an unknown session are this fake's choices.
const (
	CodeRateLimited = 130101
	CodeSecurity    = 310000
	CodeBadToken    = 300001
	CodeBadPayload  = 40035
)

// Limits DingTalk applies to a custom robot (PROTOCOLS §5).
const (
	RatePerMinute = 20
	RateBlock     = 10 * time.Minute
	// MaxTextBytes is the fake's cap on a markdown or text body: DingTalk's
	// 20 000-byte limit (handlers.DingTalkMarkdown keeps a margin below it).
	MaxTextBytes = 20000
)

// A Failure is injected into the next request (any endpoint), before any
// check: an errcode in a 200 answer, an HTTP status, or a hang until the
// client gives up.
type Failure struct {
	ErrCode int    // answer {"errcode":ErrCode,"errmsg":ErrMsg} with status 200 (or Status)
	ErrMsg  string // default "injected"
	Status  int    // HTTP status; a body-less answer when ErrCode is 0
	Hang    bool   // never answer; the client's timeout or context must end it
}

// A Received is one request that reached the fake.
type Received struct {
	Endpoint    string // "robot" (/robot/send) or "session" (/robot/sendBySession)
	AccessToken string
	Session     string
	Timestamp   string // query parameter, robot endpoint only
	Sign        string // query parameter, URL-decoded
	ContentType string
	MsgType     string
	Title       string // markdown.title
	Text        string // markdown.text or text.content
	AtMobiles   []string
	AtUserIDs   []string
	IsAtAll     bool
	Body        []byte
	ErrCode     int // what the fake answered; 0 = accepted
	ErrMsg      string
}

// A Server is a fake DingTalk on 127.0.0.1.
type Server struct {
	*httptest.Server
	closing chan struct{}

	mu       sync.Mutex
	now      func() time.Time
	robots   map[string]*robot
	sessions map[string]time.Time
	failures []Failure
	requests []Received
}

type robot struct {
	secret  string
	sent    []time.Time // send times within the last minute
	blocked time.Time   // rate-limited until
}

// NewServer starts a fake DingTalk and closes it when the test ends.
func NewServer(t testing.TB) *Server {
	s := &Server{
		closing:  make(chan struct{}),
		now:      time.Now,
		robots:   map[string]*robot{},
		sessions: map[string]time.Time{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /robot/send", s.serveRobot)
	mux.HandleFunc("POST /robot/sendBySession", s.serveSession)
	s.Server = httptest.NewServer(mux)
	t.Cleanup(func() {
		close(s.closing)
		s.Server.Close()
	})
	return s
}

// SetNow sets the fake's clock, for signature windows, rate limits and
// session expiry. Default: time.Now.
func (s *Server) SetNow(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// AddRobot registers a custom robot; secret "" means it does not use 加签.
func (s *Server) AddRobot(accessToken, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.robots[accessToken] = &robot{secret: secret}
}

// NewSession registers a sessionWebhook valid until expires and returns
// its URL on this server.
func (s *Server) NewSession(key string, expires time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[key] = expires
	return s.URL + "/robot/sendBySession?session=" + key
}

// Fail queues failures, one per coming request.
func (s *Server) Fail(fs ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, fs...)
}

// Sent returns the messages the fake accepted, in arrival order.
func (s *Server) Sent() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Received
	for _, r := range s.requests {
		if r.ErrCode == 0 {
			out = append(out, r)
		}
	}
	return out
}

// Requests returns every request that passed failure injection, accepted
// or refused (ErrCode != 0), in arrival order.
func (s *Server) Requests() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.requests...)
}

// injected serves a queued failure and reports whether it did.
func (s *Server) injected(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	if len(s.failures) == 0 {
		s.mu.Unlock()
		return false
	}
	f := s.failures[0]
	s.failures = s.failures[1:]
	s.mu.Unlock()
	switch {
	case f.Hang:
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
	case f.ErrCode != 0:
		if f.ErrMsg == "" {
			f.ErrMsg = "injected"
		}
		if f.Status == 0 {
			f.Status = http.StatusOK
		}
		answer(w, f.Status, f.ErrCode, f.ErrMsg)
	default:
		w.WriteHeader(f.Status)
	}
	return true
}

func (s *Server) serveRobot(w http.ResponseWriter, r *http.Request) {
	if s.injected(w, r) {
		return
	}
	q := r.URL.Query()
	rec := s.read(r, "robot")
	rec.AccessToken, rec.Timestamp, rec.Sign = q.Get("access_token"), q.Get("timestamp"), q.Get("sign")
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	rb, ok := s.robots[rec.AccessToken]
	switch {
	case !ok:
		rec.ErrCode, rec.ErrMsg = CodeBadToken, "token is not exist"
	case rb.secret != "" && !signOK(rec.Timestamp, rec.Sign, rb.secret, now):
		rec.ErrCode, rec.ErrMsg = CodeSecurity, "sign not match"
	case now.Before(rb.blocked):
		rec.ErrCode, rec.ErrMsg = CodeRateLimited, "send too fast, exceed 20 times per minute"
	default:
		rec.ErrCode, rec.ErrMsg = checkPayload(rec)
	}
	if rec.ErrCode == 0 {
		rb.sent = append(rb.sent, now)
		for len(rb.sent) > 0 && now.Sub(rb.sent[0]) >= time.Minute {
			rb.sent = rb.sent[1:]
		}
		if len(rb.sent) > RatePerMinute {
			rb.blocked = now.Add(RateBlock)
			rb.sent = rb.sent[:len(rb.sent)-1]
			rec.ErrCode, rec.ErrMsg = CodeRateLimited, "send too fast, exceed 20 times per minute"
		}
	}
	s.requests = append(s.requests, rec)
	answer(w, http.StatusOK, rec.ErrCode, rec.ErrMsg)
}

func (s *Server) serveSession(w http.ResponseWriter, r *http.Request) {
	if s.injected(w, r) {
		return
	}
	rec := s.read(r, "session")
	rec.Session = r.URL.Query().Get("session")
	s.mu.Lock()
	defer s.mu.Unlock()
	expires, ok := s.sessions[rec.Session]
	switch {
	case !ok || !s.now().Before(expires):
		rec.ErrCode, rec.ErrMsg = CodeBadToken, "session not exist or expired"
	default:
		rec.ErrCode, rec.ErrMsg = checkPayload(rec)
	}
	s.requests = append(s.requests, rec)
	answer(w, http.StatusOK, rec.ErrCode, rec.ErrMsg)
}

// signOK checks a custom robot's timestamp (ms, within an hour of now) and
// sign (already URL-decoded by the query parser).
func signOK(ts, sign, secret string, now time.Time) bool {
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.UnixMilli(ms)); d > time.Hour || d < -time.Hour {
		return false
	}
	return sign == Sign(ts, secret)
}
