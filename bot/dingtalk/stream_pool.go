package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"

	"duban/bot"
	"duban/handlers"
)

// A job is one ACKed robot message waiting for its answer.
type job struct {
	cb *Callback
}

// A pool runs jobs on a fixed number of workers fed by a bounded queue.
// The SDK v0.9.1 starts a goroutine per frame with no cap; this is the cap.
type pool struct {
	jobs chan job
	wg   sync.WaitGroup
}

func newPool(workers, queue int, do func(job)) *pool {
	p := &pool{jobs: make(chan job, queue)}
	for range workers {
		p.wg.Go(func() {
			for j := range p.jobs {
				do(j)
			}
		})
	}
	return p
}

// room reports whether submit would not block. With one producer the
// answer stays true until that producer submits.
func (p *pool) room() bool { return len(p.jobs) < cap(p.jobs) }

func (p *pool) submit(j job) { p.jobs <- j }

// close lets the workers finish every queued job and waits for them.
func (p *pool) close() {
	close(p.jobs)
	p.wg.Wait()
}

// answer runs the handler for one message and posts its reply to the
// message's sessionWebhook. Its context outlives Run's: a message that was
// ACKed is answered even while duban shuts down, within HandlerTimeout.
func (s *Stream) answer(runCtx context.Context, j job) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(runCtx), s.cfg.HandlerTimeout)
	defer cancel()
	cb := j.cb
	m := cb.Message()
	m.Platform = bot.DingTalkStrm
	log := s.cfg.Logger.With("platform", bot.DingTalkStrm, "msg_id", cb.MsgID)

	reply, err := s.call(ctx, m)
	switch {
	case errors.Is(err, bot.ErrDuplicate):
		log.Debug("dingtalk stream: redelivered message dropped")
		return
	case err != nil:
		log.Error("dingtalk stream: handler failed", "err", err)
		return
	case empty(reply):
		return
	case !cb.SessionValid(s.cfg.Now()):
		log.Warn("dingtalk stream: answer dropped: sessionWebhook missing or expired")
		return
	case !strings.HasPrefix(cb.SessionWebhook, s.cfg.BaseURL+"/"):
		log.Warn("dingtalk stream: answer dropped: sessionWebhook not under base URL", "endpoint", endpoint(cb.SessionWebhook))
		return
	}
	if err := ReplySession(ctx, s.cfg.HTTPClient, cb.SessionWebhook, reply); err != nil {
		log.Error("dingtalk stream: answer failed", "err", err)
	}
}

// call runs the handler, turning a panic into an error: a worker must
// survive a bad message.
func (s *Stream) call(ctx context.Context, m *bot.Message) (r handlers.Reply, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler panic: %v\n%s", p, debug.Stack())
		}
	}()
	return s.h(ctx, m)
}
