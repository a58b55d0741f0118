package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"duban/bot/dingtalk/dingtalktest"
)

// The load of a failover test: every failoverEvery a question and a
// progress report, each delivered to all three replicas at once (as a
// platform retry through a load balancer arrives), with what each replica
// answered, in its response or later through the message's sessionWebhook.

const failoverEvery = 250 * time.Millisecond

// failoverChat is the DingTalk group that speaks for 住建局, the lead unit
// of task 76, so its reports are recorded.
const failoverChat = "cidfailover"

// fMsg is one message of the load and the replies it got.
type fMsg struct {
	report bool
	id     string // msgId, also the session key
	token  string // in a report's note, to find its journal entry
	sent   time.Time
	bodies []string // non-empty response bodies, one per replica that answered
	errs   int      // requests that failed outright
}

// fLoad sends the load until stop is called.
type fLoad struct {
	t        *testing.T
	dt       *dingtalktest.Server
	replicas []*e2eServe
	lastMS   atomic.Int64 // the last callback timestamp, in ms

	mu   sync.Mutex
	msgs []*fMsg
	wg   sync.WaitGroup
	stop chan struct{}
	done chan struct{}
}

func startLoad(t *testing.T, dt *dingtalktest.Server, replicas []*e2eServe) *fLoad {
	l := &fLoad{t: t, dt: dt, replicas: replicas, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		tick := time.NewTicker(failoverEvery)
		defer tick.Stop()
		for i := 0; ; i++ {
			l.send(&fMsg{id: fmt.Sprintf("fq%04d", i)}, e2eQuestion)
			r := &fMsg{report: true, id: fmt.Sprintf("fr%04d", i), token: fmt.Sprintf("r%04dx", i)}
			l.send(r, "76号进展：核查批次"+r.token)
			select {
			case <-l.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return l
}

// timestamp returns a callback time one millisecond after the last: duban
// accepts a (timestamp, sign) pair once, and the sign depends only on the
// timestamp, so two messages must never share one.
func (l *fLoad) timestamp() time.Time {
	for {
		last := l.lastMS.Load()
		ms := max(time.Now().UnixMilli(), last+1)
		if l.lastMS.CompareAndSwap(last, ms) {
			return time.UnixMilli(ms)
		}
	}
}

// send delivers m to every replica at once, in the background.
func (l *fLoad) send(m *fMsg, text string) {
	now := l.timestamp()
	m.sent = time.Now()
	body := dingtalktest.Message{MsgID: m.id, Text: text, Group: true, AtRobot: true,
		ConversationID: failoverChat, SenderStaffID: "staff01", SenderNick: "王五",
		SessionWebhook: l.dt.NewSession(m.id, now.Add(time.Hour)), CreateAt: now}.JSON()
	l.mu.Lock()
	l.msgs = append(l.msgs, m)
	l.mu.Unlock()
	for _, r := range l.replicas {
		req := dingtalktest.SignedRequest(r.URL+"/dingtalk/robot", e2eDingTalkSecret, now, body)
		l.wg.Go(func() {
			resp, err := e2eClient.Do(req)
			if err == nil {
				var b []byte
				b, err = io.ReadAll(resp.Body)
				resp.Body.Close()
				if err == nil && resp.StatusCode != http.StatusOK {
					err = fmt.Errorf("status %d", resp.StatusCode)
				}
				if err == nil && len(b) > 0 {
					l.mu.Lock()
					m.bodies = append(m.bodies, string(b))
					l.mu.Unlock()
				}
			}
			if err != nil {
				l.mu.Lock()
				m.errs++
				l.mu.Unlock()
			}
		})
	}
}

// finish stops the load, waits for every request and for late answers
// through the sessionWebhooks, and returns each message with all its
// answers (response bodies and session posts).
func (l *fLoad) finish() []*fMsg {
	close(l.stop)
	<-l.done
	l.wg.Wait()
	// An answer that missed ReplyWithin goes out by sessionWebhook within
	// the handler timeout after it; wait until the posts stop coming.
	n := -1
	for n != len(l.dt.Requests()) {
		n = len(l.dt.Requests())
		time.Sleep(time.Second)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.dt.Requests() {
		if r.Endpoint != "session" {
			continue
		}
		for _, m := range l.msgs {
			if m.id == r.Session {
				m.bodies = append(m.bodies, r.Text)
			}
		}
	}
	return l.msgs
}

// replyKind classifies a report's reply.
func replyKind(body string) string {
	switch {
	case strings.Contains(body, "已记录："):
		return "recorded"
	case strings.Contains(body, "已处理过"):
		return "duplicate"
	case strings.Contains(body, "未记录"):
		return "refused"
	}
	return "other"
}

// fProbe records, every 100 ms, whether an operation succeeds.
type fProbe struct {
	mu  sync.Mutex
	obs []fObs
}

type fObs struct {
	at   time.Time
	ok   bool
	note string
}

func (p *fProbe) run(ctx context.Context, every time.Duration, f func(ctx context.Context) (bool, string)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		ok, note := f(ctx)
		at := time.Now() // when the answer came: a request sent before a kill may fail after it
		if ctx.Err() != nil {
			return
		}
		p.mu.Lock()
		p.obs = append(p.obs, fObs{at: at, ok: ok, note: note})
		p.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// failed returns the first and the last failed observation after from,
// and how many failed; zero times when none did.
func (p *fProbe) failed(from time.Time) (first, last time.Time, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, o := range p.obs {
		if o.ok || o.at.Before(from) {
			continue
		}
		if first.IsZero() {
			first = o.at
		}
		last = o.at
		n++
	}
	return first, last, n
}

// failedWithin reports whether an observation in [from, to] failed.
func (p *fProbe) failedWithin(from, to time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, o := range p.obs {
		if !o.ok && !o.at.Before(from) && !o.at.After(to) {
			return true
		}
	}
	return false
}

// backAfter returns when the probe succeeded for good after the last
// failure, or from when it never failed.
func (p *fProbe) backAfter(from time.Time) time.Time {
	_, last, n := p.failed(from)
	if n == 0 {
		return from
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, o := range p.obs {
		if o.at.After(last) {
			return o.at
		}
	}
	return time.Time{}
}

// stableSince reports whether every observation in the last d succeeded
// and there was at least one.
func (p *fProbe) stableSince(d time.Duration) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	seen := 0
	for i := len(p.obs) - 1; i >= 0 && time.Since(p.obs[i].at) < d; i-- {
		if !p.obs[i].ok {
			return false
		}
		seen++
	}
	return seen > 0
}

// notes returns the distinct failure notes after from, each with when it
// was first seen, for the log.
func (p *fProbe) notes(from time.Time) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, o := range p.obs {
		if o.ok || o.at.Before(from) || seen[o.note] || len(out) == 8 {
			continue
		}
		seen[o.note] = true
		out = append(out, fmt.Sprintf("+%v %s", o.at.Sub(from).Round(time.Millisecond), o.note))
	}
	return strings.Join(out, "; ")
}
