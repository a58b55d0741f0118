package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"duban/bot"
	"duban/handlers"
)

// answer runs the handler for one message on a worker and posts its
// reply to the message's sessionWebhook. Its context outlives the
// connection's: a message that was ACKed is answered even while duban
// shuts down, within HandlerTimeout.
func (s *Stream) answer(connCtx context.Context, cb *Callback) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(connCtx), s.cfg.HandlerTimeout)
	defer cancel()
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
