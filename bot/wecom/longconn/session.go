package longconn

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/coder/websocket"
)

// maxFrameBytes caps one inbound frame; a text callback is a few KiB.
const maxFrameBytes = 1 << 20

// A session is one WebSocket: it writes frames, matches WeCom's answers
// to the requests waiting for them by req_id, and ends once.
type session struct {
	c       *websocket.Conn
	mu      sync.Mutex
	pending map[string]chan *frame
	done    chan struct{}
	err     error // why it ended; set before done is closed
	once    sync.Once
}

func newSession(c *websocket.Conn) *session {
	c.SetReadLimit(maxFrameBytes)
	return &session{c: c, pending: map[string]chan *frame{}, done: make(chan struct{})}
}

// end closes the session with cause err; the first cause wins.
func (s *session) end(err error) {
	s.once.Do(func() {
		s.err = err
		close(s.done)
		s.c.CloseNow()
	})
}

// alive reports whether the session has not ended.
func (s *session) alive() bool {
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// read reads frames until the connection fails, passing answers to their
// requests and everything else to onFrame, then ends the session.
func (s *session) read(ctx context.Context, onFrame func(*frame)) {
	for {
		typ, raw, err := s.c.Read(ctx)
		if err != nil {
			s.end(fmt.Errorf("read: %w", err))
			return
		}
		if typ != websocket.MessageText {
			continue
		}
		f, err := decodeFrame(raw)
		if err != nil {
			onFrame(nil) // counted as unreadable by the caller
			continue
		}
		if f.Cmd == "" && s.answer(f) {
			continue
		}
		onFrame(f)
	}
}

// answer hands f to the request waiting for its req_id.
func (s *session) answer(f *frame) bool {
	s.mu.Lock()
	ch, ok := s.pending[f.Headers.ReqID]
	delete(s.pending, f.Headers.ReqID)
	s.mu.Unlock()
	if ok {
		ch <- f // buffered
	}
	return ok
}

// request writes one frame and waits for WeCom's answer with the same
// req_id. errcode != 0 comes back as *APIError; no answer as
// *TransportError.
func (s *session) request(ctx context.Context, cmd, reqID string, body any) (*frame, error) {
	raw, err := encodeFrame(cmd, reqID, body)
	if err != nil {
		return nil, err
	}
	ch := make(chan *frame, 1)
	s.mu.Lock()
	s.pending[reqID] = ch
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.pending, reqID)
		s.mu.Unlock()
	}()
	if !s.alive() {
		return nil, &TransportError{Cmd: cmd, Err: ErrConnectionLost, Unsent: true}
	}
	if err := s.c.Write(ctx, websocket.MessageText, raw); err != nil {
		if !s.alive() {
			err = ErrConnectionLost
		}
		// coder/websocket writes a message in one call; an error may come
		// after part of it went out, but a cut frame is never accepted.
		return nil, &TransportError{Cmd: cmd, Err: err, Unsent: true}
	}
	select {
	case f := <-ch:
		return answered(cmd, f)
	case <-s.done:
		select { // the answer may have come just before the close (a refused subscribe)
		case f := <-ch:
			return answered(cmd, f)
		default:
		}
		return nil, &TransportError{Cmd: cmd, Err: ErrConnectionLost}
	case <-ctx.Done():
		return nil, &TransportError{Cmd: cmd, Err: ctx.Err()}
	}
}

// answered turns WeCom's answer into an error when errcode != 0.
func answered(cmd string, f *frame) (*frame, error) {
	if f.ErrCode != nil && *f.ErrCode != 0 {
		return f, &APIError{Cmd: cmd, Code: *f.ErrCode, Msg: f.ErrMsg}
	}
	return f, nil
}

// isTransport reports whether err means the frame may not have arrived.
func isTransport(err error) bool {
	var te *TransportError
	return errors.As(err, &te)
}

// unsent reports whether err means the frame certainly did not arrive.
func unsent(err error) bool {
	var te *TransportError
	return errors.As(err, &te) && te.Unsent
}
