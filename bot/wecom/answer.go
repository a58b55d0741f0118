package wecom

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"duban/bot"
	"duban/handlers"
)

// A job is one handler call that may outlive its HTTP request.
type job struct {
	ctx    context.Context // detached from the request, bounded by asyncTimeout
	cancel context.CancelFunc
	done   chan result
}

type result struct {
	reply handlers.Reply
	err   error
}

// start runs h for m in its own goroutine. The context is detached from
// the request because a late answer is still delivered after the callback
// has returned its empty 200.
func (in *inbound) start(r *http.Request, h bot.HandlerFunc, m *bot.Message) *job {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), in.asyncTimeout)
	j := &job{ctx: ctx, cancel: cancel, done: make(chan result, 1)}
	go func() {
		var res result
		defer func() {
			// bot.Recover normally wraps h; this guard keeps a panic from
			// killing the server when it does not.
			if p := recover(); p != nil {
				res = result{err: fmt.Errorf("wecom: handler panic: %v", p)}
			}
			j.done <- res
		}()
		res.reply, res.err = h(ctx, m)
	}()
	return j
}

// await waits for the answer until the deadline or the client leaves; ok
// is false when the answer must be delivered later.
func (in *inbound) await(r *http.Request, j *job) (res result, ok bool) {
	t := time.NewTimer(in.deadline)
	defer t.Stop()
	select {
	case res = <-j.done:
		return res, true
	case <-t.C:
	case <-r.Context().Done():
	}
	return result{}, false
}

// later waits in the background for j's answer and hands it to deliver,
// which runs under j's context; wg tracks it for shutdown.
func (in *inbound) later(wg *sync.WaitGroup, platform string, m *bot.Message, j *job, deliver func(context.Context, handlers.Reply) error) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer j.cancel()
		var res result
		select {
		case res = <-j.done:
		case <-j.ctx.Done():
			res.err = j.ctx.Err()
		}
		if res.err == nil {
			res.err = deliver(j.ctx, res.reply)
		}
		if res.err != nil {
			in.log.Error("wecom late answer lost", "platform", platform, "msg_id", m.ID,
				"user", m.UserID, "err", res.err)
		}
	}()
}

// blank reports a reply with nothing to say.
func blank(pieces []string) bool { return len(pieces) == 0 || len(pieces) == 1 && pieces[0] == "" }

// settle runs h for m and handles what both callbacks do alike: an answer
// that misses the deadline goes out later through deliver, and a failed one
// gets an empty 200 (a non-200 would make WeCom retry a message that already
// failed; a duplicate was answered before). It returns the answer and its
// job when the caller is to reply, and false when the response is written.
func (in *inbound) settle(w http.ResponseWriter, r *http.Request, wg *sync.WaitGroup, h bot.HandlerFunc, m *bot.Message,
	deliver func(context.Context, handlers.Reply) error) (result, *job, bool) {
	j := in.start(r, h, m)
	res, ok := in.await(r, j)
	if !ok {
		in.later(wg, m.Platform, m, j, deliver)
		w.WriteHeader(http.StatusOK)
		return result{}, nil, false
	}
	if res.err != nil {
		j.cancel()
		if !errors.Is(res.err, bot.ErrDuplicate) {
			in.log.Error("wecom handler failed", "platform", m.Platform, "msg_id", m.ID, "err", res.err)
		}
		w.WriteHeader(http.StatusOK)
		return result{}, nil, false
	}
	return res, j, true
}
