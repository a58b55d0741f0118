package longconntest

import (
	"crypto/rand"
	"encoding/hex"
)

// Push delivers m to the subscribed client as aibot_msg_callback and
// returns the callback's req_id, which the reply must carry.
func (s *Server) Push(m Message) (string, error) {
	cn, err := s.current()
	if err != nil {
		return "", err
	}
	reqID := "cb_" + randomID()
	body := map[string]any{
		"msgid": m.MsgID, "aibotid": BotID, "chattype": "single",
		"from": map[string]string{"userid": m.UserID}, "msgtype": "text",
		"text": map[string]string{"content": m.Text},
	}
	if m.ChatID != "" {
		body["chattype"], body["chatid"] = "group", m.ChatID
	}
	cn.mu.Lock()
	cn.reqIDs[reqID] = true
	cn.mu.Unlock()
	return reqID, cn.write(map[string]any{"cmd": "aibot_msg_callback", "headers": map[string]string{"req_id": reqID}, "body": body})
}

// Event delivers an aibot_event_callback of the given eventtype.
func (s *Server) Event(eventType string) error {
	cn, err := s.current()
	if err != nil {
		return err
	}
	return cn.write(map[string]any{"cmd": "aibot_event_callback", "headers": map[string]string{"req_id": "ev_" + randomID()},
		"body": map[string]any{"msgid": "ev" + randomID(), "aibotid": BotID, "msgtype": "event",
			"event": map[string]string{"eventtype": eventType}}})
}

// Replace sends disconnected_event and closes the connection, as WeCom
// does when another connection subscribes with the same bot.
func (s *Server) Replace() error {
	if err := s.Event("disconnected_event"); err != nil {
		return err
	}
	s.Drop()
	return nil
}

// Drop closes the subscribed connection without a close handshake.
func (s *Server) Drop() {
	s.mu.Lock()
	cn := s.cur
	s.cur = nil
	s.mu.Unlock()
	if cn != nil {
		cn.c.CloseNow()
	}
}

// IgnorePings makes the fake leave heartbeats unanswered (true) or answer
// them again (false).
func (s *Server) IgnorePings(ignore bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ignorePings = ignore
}

// SetSecret changes the secret the fake accepts.
func (s *Server) SetSecret(secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secret = secret
}

// Fail answers the next frames of cmd with the given errcodes, in order.
func (s *Server) Fail(cmd string, codes ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[cmd] = append(s.failures[cmd], codes...)
}

// Connected reports whether a client is subscribed now.
func (s *Server) Connected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur != nil
}

// Connections returns how many WebSockets the fake accepted so far.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// Subscribes returns every subscribe received, in order.
func (s *Server) Subscribes() []Subscribe {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Subscribe(nil), s.subscribes...)
}

// Pings returns how many heartbeats arrived.
func (s *Server) Pings() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pings
}

// Replies returns the accepted aibot_respond_msg frames, in order.
func (s *Server) Replies() []Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Reply(nil), s.replies...)
}

// Pushes returns the accepted aibot_send_msg frames, in order.
func (s *Server) Pushes() []Push {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Push(nil), s.pushes...)
}

func randomID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
