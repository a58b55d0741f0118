package dingtalktest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
)

// PushRobot sends m as a robot message (a CALLBACK frame on RobotTopic) and
// returns the frame's messageId, which the client's ACK must carry. The
// frame is kept for Redeliver even when no client is connected.
func (g *StreamGateway) PushRobot(m Message) (string, error) {
	id := "frame-" + randomID()
	return id, g.push("CALLBACK", RobotTopic, id, m.JSON())
}

// Redeliver sends the frame with messageId id again, unchanged, as
// DingTalk does with a message whose ACK it did not get.
func (g *StreamGateway) Redeliver(id string) error {
	g.mu.Lock()
	raw, ok := g.frames[id]
	cur := g.cur
	g.mu.Unlock()
	if !ok {
		return errors.New("dingtalktest: redeliver: unknown frame " + id)
	}
	return g.send(cur, raw)
}

// RedeliverUnacked sends again every pushed frame that no ACK answered,
// oldest first, and returns their messageIds.
func (g *StreamGateway) RedeliverUnacked() ([]string, error) {
	var ids []string
	for _, id := range g.pushed() {
		if !g.Acked(id) {
			if err := g.Redeliver(id); err != nil {
				return ids, err
			}
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (g *StreamGateway) pushed() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.order...)
}

// Ping sends a SYSTEM ping whose data carries an opaque value the client
// must echo; it returns the frame's messageId.
func (g *StreamGateway) Ping() (string, error) {
	id := "ping-" + randomID()
	data, _ := json.Marshal(map[string]string{"opaque": id})
	return id, g.push("SYSTEM", "ping", id, data)
}

// Disconnect sends the SYSTEM disconnect frame with which DingTalk tells a
// client to open a new connection before it closes this one.
func (g *StreamGateway) Disconnect() error {
	return g.push("SYSTEM", "disconnect", "disconnect-"+randomID(), []byte(`{"reason":"fake gateway restart"}`))
}

// Push sends any data frame, for topics the client did not subscribe to.
func (g *StreamGateway) Push(typ, topic string, data []byte) (string, error) {
	id := "frame-" + randomID()
	return id, g.push(typ, topic, id, data)
}

// Drop closes the current connection without a close handshake, as a
// network failure would.
func (g *StreamGateway) Drop() {
	g.mu.Lock()
	cur := g.cur
	g.cur = nil
	g.mu.Unlock()
	if cur != nil {
		cur.close()
	}
}

// StallAfterNextResponse makes the gateway stop reading the current
// connection once it has recorded the client's next response frame: it
// then answers no WebSocket ping, like a peer lost behind a dead NAT
// mapping, until the client gives up on the connection.
func (g *StreamGateway) StallAfterNextResponse() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.stall = true
}

// LoseAcks makes the gateway discard (true) or record (false) the response
// frames it receives from now on, to stand for ACKs lost on the way.
func (g *StreamGateway) LoseAcks(lose bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.loseAcks = lose
}

// SetSecret changes the client secret the gateway accepts.
func (g *StreamGateway) SetSecret(secret string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.secret = secret
}

// Connected reports whether a client holds a WebSocket now.
func (g *StreamGateway) Connected() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.cur != nil
}

// Connections returns how many WebSockets the gateway accepted so far.
func (g *StreamGateway) Connections() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.accepted
}

// Opens returns every connections/open request, in order.
func (g *StreamGateway) Opens() []StreamOpen {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]StreamOpen(nil), g.opens...)
}

// Acks returns the response frames recorded, in arrival order.
func (g *StreamGateway) Acks() []StreamAck {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]StreamAck(nil), g.acks...)
}

// LostAcks returns the response frames discarded while LoseAcks was on.
func (g *StreamGateway) LostAcks() []StreamAck {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]StreamAck(nil), g.lost...)
}

// Acked reports whether a response with code 200 answered frame id.
func (g *StreamGateway) Acked(id string) bool {
	for _, a := range g.Acks() {
		if a.MessageID == id && a.Code == http.StatusOK {
			return true
		}
	}
	return false
}

func randomID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
