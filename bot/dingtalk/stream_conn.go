package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/coder/websocket"
	frames "github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/utils"

	"duban/bot"
	"duban/bot/internal/connrun"
)

// errReconnect: the gateway sent SYSTEM disconnect; it closes the socket
// 10 s later, so the client opens a new connection at once.
var errReconnect = fmt.Errorf("gateway asked to reconnect: %w", connrun.ErrRedial)

// Frame limits and timeouts of one connection.
const (
	// maxFrameBytes caps one inbound frame: a robot message is a few KiB;
	// coder/websocket's default of 32 KiB would cut a long richText.
	maxFrameBytes = 1 << 20
	// writeTimeout bounds one frame written to the gateway.
	writeTimeout = 10 * time.Second
	// maxPingWait bounds the wait for a pong.
	maxPingWait = 10 * time.Second
)

// The ACK for a robot message as PROTOCOLS §4.4 quotes the protocol
// description. The SDK sends the same code and headers with the handler's
// return value as data (ignored by the server, PROTOCOLS §4.4).
const (
	ackMessage = "OK"
	ackData    = `{"response":null}`
)

// dial opens one connection through the SDK: connections/open for an
// endpoint and a one-time ticket, then the WebSocket.
func (s *Stream) dial(ctx context.Context, p *connrun.Pool) (connrun.Conn, error) {
	ep, err := s.sdk.GetConnectionEndpoint(ctx)
	if err != nil {
		return nil, fmt.Errorf("connections/open: %w", redactURLError(err))
	}
	target, err := url.Parse(ep.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("connections/open: endpoint: %w", err)
	}
	q := target.Query()
	q.Set("ticket", ep.Ticket)
	target.RawQuery = q.Encode()

	dctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	c, _, err := websocket.Dial(dctx, target.String(), nil)
	if err != nil {
		// The error repeats the URL, whose ticket is a one-time credential.
		return nil, fmt.Errorf("websocket %s: %w", endpoint(ep.Endpoint), redactDial(err))
	}
	c.SetReadLimit(maxFrameBytes)
	s.cfg.Logger.Info("dingtalk stream: connected", "platform", bot.DingTalkStrm, "endpoint", endpoint(ep.Endpoint))
	return &streamConn{s: s, c: c, p: p}, nil
}

// A streamConn is one WebSocket to the gateway.
type streamConn struct {
	s *Stream
	c *websocket.Conn
	p *connrun.Pool
}

func (sc *streamConn) Serve(ctx context.Context) error { return sc.s.serveConn(ctx, sc.c, sc.p) }
func (sc *streamConn) Close()                          { sc.c.CloseNow() }

// redactDial drops the URL (and its ticket) from a dial error, keeping
// the cause.
func redactDial(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("dial: %s: %w", ue.Op, ue.Err)
	}
	return err
}

// serveConn reads frames until the connection fails, answering each: a
// pong for SYSTEM ping, an ACK for a robot message (which then goes to the
// pool), 404 for topics it did not subscribe to, as the SDK does.
//
// When ctx ends, coder/websocket closes the socket under the cancelled
// read at once, before connrun lets the pool drain and calls Close (the
// WeCom long connection keeps its socket until then, for its replies):
// answers here go out through sessionWebhooks, and a frame the gateway
// sends meanwhile meets a closed socket, as when a connection drops
// (robot messages are fire-forget, PROTOCOLS §4.4).
func (s *Stream) serveConn(ctx context.Context, c *websocket.Conn, p *connrun.Pool) error {
	cctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go s.keepAlive(cctx, c, cancel)

	log := s.cfg.Logger.With("platform", bot.DingTalkStrm)
	for {
		typ, raw, err := c.Read(cctx)
		if err != nil {
			if cause := context.Cause(cctx); cause != nil && ctx.Err() == nil {
				return cause
			}
			return fmt.Errorf("read: %w", err)
		}
		if typ != websocket.MessageText {
			continue
		}
		df, err := frames.DecodeDataFrame(raw)
		if err != nil || df.Headers == nil {
			log.Warn("dingtalk stream: unreadable frame ignored", "bytes", len(raw), "err", err)
			continue
		}
		switch {
		case df.Type == utils.SubscriptionTypeKSystem && df.GetTopic() == "ping":
			pong, _ := s.sdk.OnPing(cctx, df) // echoes data's opaque
			err = write(cctx, c, pong)
		case df.Type == utils.SubscriptionTypeKSystem && df.GetTopic() == "disconnect":
			write(cctx, c, ack(df, frames.DataFrameResponseStatusCodeKOK, ackMessage, ""))
			return errReconnect
		case df.Type == utils.SubscriptionTypeKCallback && df.GetTopic() == frames.BotMessageCallbackTopic:
			err = s.receive(cctx, c, p, df)
		case df.Type == utils.SubscriptionTypeKCallback && df.GetTopic() == CardCallbackTopic && s.cards != nil:
			err = s.cardFrame(cctx, c, p, df)
		default:
			log.Debug("dingtalk stream: frame for an unsubscribed topic", "type", df.Type, "topic", df.GetTopic())
			err = write(cctx, c, ack(df, frames.DataFrameResponseStatusCodeKHandlerNotFound, "", ""))
		}
		if err != nil {
			return err
		}
	}
}

// receive queues one robot message for a worker and ACKs it. The ACK
// goes out before the handler starts, so a slow answer never makes the
// gateway redeliver. A message that was queued stays queued even when its ACK
// could not be written: the gateway may deliver it again, and Dedup drops
// the copy, but it may also not (robot messages are "fire-forget",
// PROTOCOLS §4.4).
func (s *Stream) receive(ctx context.Context, c *websocket.Conn, p *connrun.Pool, df *frames.DataFrame) error {
	log := s.cfg.Logger.With("platform", bot.DingTalkStrm, "frame_id", df.GetMessageId())
	cb, err := ParseCallback([]byte(df.Data))
	if err != nil {
		log.Warn("dingtalk stream: robot message refused", "err", err)
		return write(ctx, c, ack(df, frames.DataFrameResponseStatusCodeKOK, ackMessage, ackData))
	}
	log = log.With("msg_id", cb.MsgID)
	switch {
	case cb.Group() && !cb.IsInAtList:
		log.Debug("dingtalk stream: group message without @, ignored")
		return write(ctx, c, ack(df, frames.DataFrameResponseStatusCodeKOK, ackMessage, ackData))
	case cb.Question() == "":
		log.Debug("dingtalk stream: no text, ignored", "msgtype", cb.MsgType)
		return write(ctx, c, ack(df, frames.DataFrameResponseStatusCodeKOK, ackMessage, ackData))
	}
	acked := make(chan struct{}) // the answer waits for the ACK's write
	if !p.TrySubmit(func() { <-acked; s.answer(ctx, cb) }) {
		// Refusing rather than blocking keeps pings answered. Whether the
		// gateway redelivers a robot message after a non-200 answer is not
		// documented (PROTOCOLS §4.4 says robot messages are not resent).
		log.Warn("dingtalk stream: all workers busy and queue full, message refused")
		return write(ctx, c, ack(df, frames.DataFrameResponseStatusCodeKInternalError, "busy", ""))
	}
	defer close(acked)
	return write(ctx, c, ack(df, frames.DataFrameResponseStatusCodeKOK, ackMessage, ackData))
}

// ack builds the answer to frame df with the SDK's response type.
func ack(df *frames.DataFrame, code int, message, data string) *frames.DataFrameResponse {
	r := frames.NewDataFrameResponse(code)
	r.Message = message
	r.Data = data
	r.SetHeader(frames.DataFrameHeaderKMessageId, df.GetMessageId())
	r.SetHeader(frames.DataFrameHeaderKContentType, frames.DataFrameContentTypeKJson)
	return r
}

// write sends one response frame. coder/websocket allows concurrent
// writers, so keepAlive's pings need no lock.
func write(ctx context.Context, c *websocket.Conn, r *frames.DataFrameResponse) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode frame: %w", err)
	}
	wctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	if err := c.Write(wctx, websocket.MessageText, b); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// keepAlive pings every KeepAlive and ends the connection when a pong does
// not come back in time: a silent NAT or proxy drop never errors a read.
func (s *Stream) keepAlive(ctx context.Context, c *websocket.Conn, cancel context.CancelCauseFunc) {
	t := time.NewTicker(s.cfg.KeepAlive)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		pctx, done := context.WithTimeout(ctx, min(s.cfg.KeepAlive/2, maxPingWait))
		err := c.Ping(pctx)
		done()
		if err != nil && ctx.Err() == nil {
			cancel(fmt.Errorf("keepalive ping: %w", err))
			return
		}
	}
}
