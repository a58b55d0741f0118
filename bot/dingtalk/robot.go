package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/outbound"
)

// A Robot is the http.Handler for a DingTalk robot's HTTP-mode message URL
// (消息接收地址). It refuses unsigned, stale, malformed and oversized
// requests before the handler sees them, ignores group messages that do
// not @ the robot, and delivers the handler's answer:
//
//   - within ReplyWithin and one piece long: as markdown in the HTTP response;
//   - later, longer than one piece, or with SessionOnly set: an empty 200
//     now, then every piece, in order, through the sessionWebhook if it has
//     not expired. Sending all pieces one way keeps them in order; a
//     response body and webhook posts racing each other would not.
//
// A zero Reply (no head, lines, more or cite) means "do not answer".
type Robot struct {
	cfg RobotConfig
	h   bot.HandlerFunc
	wg  sync.WaitGroup // late deliveries in flight
}

// NewRobot returns the robot callback handler passing messages to h.
func NewRobot(cfg RobotConfig, h bot.HandlerFunc) (*Robot, error) {
	if h == nil {
		panic("dingtalk: NewRobot with nil handler")
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new robot: %w", err)
	}
	return &Robot{cfg: cfg.withDefaults(), h: h}, nil
}

// Shutdown waits until late answers in flight have been delivered or ctx
// is done. Call it after the HTTP server stopped accepting requests.
func (rb *Robot) Shutdown(ctx context.Context) error {
	done := make(chan struct{})
	go func() { rb.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("dingtalk robot shutdown: %w", ctx.Err())
	}
}

// ServeHTTP implements http.Handler.
func (rb *Robot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cb, status, err := rb.accept(w, r)
	if errors.Is(err, bot.ErrReplay) {
		// The same signed request again: a retry or a replay. Either way
		// it was handled once; an empty 200 stops a retrying platform.
		rb.cfg.Logger.Info("dingtalk robot: replayed request ignored", "platform", bot.DingTalk, "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	if err != nil {
		rb.cfg.Logger.Warn("dingtalk robot: request refused", "platform", bot.DingTalk, "status", status, "err", err)
		http.Error(w, http.StatusText(status), status)
		return
	}
	if cb == nil { // accepted, nothing to answer
		w.WriteHeader(http.StatusOK)
		return
	}
	rb.answer(w, r, cb)
}

// accept verifies and parses one request. It returns a nil Callback with a
// nil error for messages that are valid but not for the robot to answer.
func (rb *Robot) accept(w http.ResponseWriter, r *http.Request) (*Callback, int, error) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return nil, http.StatusMethodNotAllowed, fmt.Errorf("method %s", r.Method)
	}
	now := rb.cfg.Now()
	if err := Verify(rb.cfg.AppSecret, r.Header.Get("timestamp"), r.Header.Get("sign"), now, rb.cfg.Window); err != nil {
		return nil, http.StatusUnauthorized, err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, rb.cfg.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("body over %d bytes", tooBig.Limit)
		}
		return nil, http.StatusBadRequest, fmt.Errorf("read body: %w", err)
	}
	if err := rb.fresh(r, body, now); err != nil {
		return nil, http.StatusUnauthorized, err
	}
	cb, err := ParseCallback(body)
	if err != nil {
		return nil, http.StatusBadRequest, err
	}
	if cb.Group() && !cb.IsInAtList {
		rb.cfg.Logger.Debug("dingtalk robot: group message without @, ignored", "msg_id", cb.MsgID)
		return nil, http.StatusOK, nil
	}
	if cb.Question() == "" {
		rb.cfg.Logger.Debug("dingtalk robot: no text, ignored", "msg_id", cb.MsgID, "msgtype", cb.MsgType)
		return nil, http.StatusOK, nil
	}
	return cb, http.StatusOK, nil
}

// fresh refuses a signature already used: the same request again
// (bot.ErrReplay) or with another body (bot.ErrBadSignature). The pair is
// remembered until the timestamp leaves the window, plus a minute for
// clock steps. A store failure lets the request through (logged): a
// question answered twice beats none, and reports need the store anyway.
func (rb *Robot) fresh(r *http.Request, body []byte, now time.Time) error {
	if rb.cfg.Replay == nil {
		return nil
	}
	ts := r.Header.Get("timestamp")
	ms, _ := strconv.ParseInt(ts, 10, 64) // Verify parsed it
	ttl := time.UnixMilli(ms).Add(rb.cfg.Window).Sub(now) + time.Minute
	err := rb.cfg.Replay.Check(r.Context(), bot.DingTalk, ts+"|"+r.Header.Get("sign"), body, ttl)
	if err != nil && !errors.Is(err, bot.ErrReplay) && !errors.Is(err, bot.ErrBadSignature) {
		rb.cfg.Logger.Warn("dingtalk robot: replay check failed, answering anyway", "platform", bot.DingTalk, "err", err)
		return nil
	}
	return err
}

// result is what a handler returned, rendered.
type result struct {
	reply handlers.Reply
	err   error
	msgs  []outbound.Message // as WebhookFormat renders them; nil when there is nothing to send
}

// answer runs the handler and delivers its reply in the response or, when
// it misses ReplyWithin or needs several messages, through the
// sessionWebhook.
func (rb *Robot) answer(w http.ResponseWriter, r *http.Request, cb *Callback) {
	m := cb.Message()
	handed := make(chan result) // unbuffered: a send succeeds only while ServeHTTP waits
	late := make(chan struct{}) // closed when ServeHTTP stops waiting
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), rb.cfg.HandlerTimeout)
	rb.wg.Add(1)
	go func() {
		defer rb.wg.Done()
		defer cancel()
		res := rb.call(ctx, m)
		select {
		case handed <- res:
			if len(res.msgs) > 1 || rb.cfg.SessionOnly {
				rb.deliverLate(ctx, cb, res)
			}
		case <-late:
			rb.deliverLate(ctx, cb, res)
		}
	}()

	timer := time.NewTimer(rb.cfg.ReplyWithin)
	defer timer.Stop()
	select {
	case res := <-handed:
		rb.respond(w, cb, res)
	case <-timer.C:
		close(late)
		w.WriteHeader(http.StatusOK)
	case <-r.Context().Done():
		close(late)
	}
}

// call runs the handler and renders its reply, turning a panic into an
// error: it runs outside net/http's own recovery.
func (rb *Robot) call(ctx context.Context, m *bot.Message) (res result) {
	defer func() {
		if p := recover(); p != nil {
			res = result{err: fmt.Errorf("handler panic: %v\n%s", p, debug.Stack())}
		}
	}()
	reply, err := rb.h(ctx, m)
	res = result{reply: reply, err: err}
	if err == nil && !empty(reply) {
		res.msgs = WebhookFormat{Title: rb.cfg.Title}.Render(reply)
	}
	return res
}

// respond writes an answer that came in time: one piece goes in the body;
// several go through the sessionWebhook (the handler goroutine sends them).
func (rb *Robot) respond(w http.ResponseWriter, cb *Callback, res result) {
	if len(res.msgs) != 1 || rb.cfg.SessionOnly {
		if res.err != nil {
			rb.logResult(cb, res)
		}
		w.WriteHeader(http.StatusOK)
		return
	}
	body := res.msgs[0].Body
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// deliverLate posts an answer through the message's sessionWebhook.
func (rb *Robot) deliverLate(ctx context.Context, cb *Callback, res result) {
	if len(res.msgs) == 0 {
		rb.logResult(cb, res)
		return
	}
	log := rb.cfg.Logger.With("platform", bot.DingTalk, "msg_id", cb.MsgID)
	switch {
	case !cb.SessionValid(rb.cfg.Now()):
		log.Warn("dingtalk robot: late answer dropped: sessionWebhook missing or expired")
		return
	case !strings.HasPrefix(cb.SessionWebhook, rb.cfg.BaseURL+"/"):
		log.Warn("dingtalk robot: late answer dropped: sessionWebhook not under base URL", "endpoint", endpoint(cb.SessionWebhook))
		return
	}
	if err := postMessages(ctx, rb.cfg.HTTPClient, "session reply", cb.SessionWebhook, res.msgs); err != nil {
		log.Error("dingtalk robot: late answer failed", "err", err)
	}
}

func (rb *Robot) logResult(cb *Callback, res result) {
	if res.err != nil && !errors.Is(res.err, bot.ErrDuplicate) {
		rb.cfg.Logger.Error("dingtalk robot: handler failed", "platform", bot.DingTalk, "msg_id", cb.MsgID, "err", res.err)
	}
}

// empty reports whether r holds nothing to say.
func empty(r handlers.Reply) bool {
	return r.Head == "" && len(r.Lines) == 0 && r.More == "" && r.Cite == ""
}

// String describes rb without its secret, for %v and logs.
func (rb *Robot) String() string { return "dingtalk.Robot" }
