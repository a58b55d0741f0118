package longconn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"

	"duban/bot"
	"duban/handlers"
)

// A job is one received message waiting for its answer, with the session
// and req_id its reply must carry.
type job struct {
	s     *session
	reqID string
	body  *callbackBody
	click *cardClick // a template_card click (cards.go), else nil
}

func newJob(s *session, f *frame) (job, error) {
	var b callbackBody
	if err := json.Unmarshal(f.Body, &b); err != nil {
		return job{}, fmt.Errorf("%s body: %w", f.Cmd, err)
	}
	if f.Cmd == cmdMsgCallback && (b.MsgID == "" || f.Headers.ReqID == "") {
		return job{}, fmt.Errorf("%s without msgid or req_id", f.Cmd)
	}
	return job{s: s, reqID: f.Headers.ReqID, body: &b}, nil
}

// answer runs the handler for one message and delivers the reply. Its
// context outlives Run's, bounded by HandlerTimeout.
func (c *Client) answer(runCtx context.Context, j job) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(runCtx), c.cfg.HandlerTimeout)
	defer cancel()
	m := j.body.message(c.cfg.BotName)
	log := c.cfg.Logger.With("platform", bot.WeComAIBot, "msg_id", m.ID)
	if m.Text == "" {
		log.Debug("wecom long connection: no text, ignored", "msgtype", j.body.MsgType)
		return
	}
	reply, err := c.call(ctx, m)
	switch {
	case errors.Is(err, bot.ErrDuplicate):
		log.Debug("wecom long connection: redelivered message dropped")
		return
	case err != nil:
		log.Error("wecom long connection: handler failed", "err", err)
		return
	case empty(reply):
		return
	}
	pieces := handlers.Render(reply, handlers.WeComAIBot)
	if err := c.reply(ctx, j, pieces[0]); err != nil {
		log.Error("wecom long connection: reply failed", "err", err)
		return
	}
	for i, p := range pieces[1:] {
		if err := c.push(ctx, j.body.pushTarget(), p); err != nil {
			log.Error("wecom long connection: reply continuation failed", "piece", i+2, "of", len(pieces), "err", err)
			return
		}
	}
}

// reply answers a message with aibot_respond_msg on the connection it came
// in on. When that connection is gone before the frame was written, the
// answer is pushed to the chat with aibot_send_msg on the current
// connection instead: whether WeCom accepts a req_id on a connection other
// than the one that delivered it is not documented. A reply that was
// written but not confirmed is not pushed again, so a chat never sees an
// answer twice.
func (c *Client) reply(ctx context.Context, j job, content string) error {
	rctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	_, err := j.s.request(rctx, cmdRespond, j.reqID, newStreamBody(newReqID("stream"), content))
	cancel()
	if err == nil || !unsent(err) {
		return err
	}
	c.cfg.Logger.Info("wecom long connection: connection of the message gone, pushing the answer to the chat",
		"platform", bot.WeComAIBot, "msg_id", j.body.MsgID)
	return c.push(ctx, j.body.pushTarget(), content)
}

// push sends one markdown message to a chat, waiting for a connection
// while ctx allows.
func (c *Client) push(ctx context.Context, chatID, content string) error {
	s, err := c.session(ctx)
	if err != nil {
		return &TransportError{Cmd: cmdSend, Err: err, Unsent: true}
	}
	rctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	_, err = s.request(rctx, cmdSend, newReqID(cmdSend), newMarkdownBody(chatID, content))
	return err
}

// Send pushes r to a chat proactively (aibot_send_msg): chatID is a
// group's chatid or, for a single chat, the user's userid. It renders r as
// WeCom markdown, one message per piece within the size limit, waits for a
// connection while ctx allows, and returns *APIError when WeCom refuses
// and *TransportError when no answer came; both have Retryable.
func (c *Client) Send(ctx context.Context, chatID string, r handlers.Reply) error {
	if chatID == "" {
		return errors.New("wecom long connection: send: empty chat id")
	}
	pieces := handlers.Render(r, handlers.WeComAIBot)
	for i, p := range pieces {
		if err := c.push(ctx, chatID, p); err != nil {
			if len(pieces) > 1 {
				return fmt.Errorf("piece %d of %d: %w", i+1, len(pieces), err)
			}
			return err
		}
	}
	return nil
}

// A ChatSender is the bot.Sender of one chat reached through the long
// connection, for reminders to a group that has the bot.
type ChatSender struct {
	Client *Client
	ChatID string // the group's chatid (or a user's userid)
}

var _ bot.Sender = ChatSender{}

// Send implements bot.Sender.
func (s ChatSender) Send(ctx context.Context, r handlers.Reply) error {
	return s.Client.Send(ctx, s.ChatID, r)
}

// call runs the handler, turning a panic into an error: a worker must
// survive a bad message.
func (c *Client) call(ctx context.Context, m *bot.Message) (r handlers.Reply, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler panic: %v\n%s", p, debug.Stack())
		}
	}()
	return c.h(ctx, m)
}

// empty reports whether r holds nothing to say.
func empty(r handlers.Reply) bool {
	return r.Head == "" && len(r.Lines) == 0 && r.More == "" && r.Cite == ""
}
