package dingtalktest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// Credentials and the topic the fake Stream gateway accepts.
const (
	StreamClientID     = "dingfakeclientid"
	StreamClientSecret = "fake-client-secret"
	RobotTopic         = "/v1.0/im/bot/messages/get"
	// TicketTTL is how long a ticket from connections/open may wait before
	// the WebSocket uses it (PROTOCOLS §4.4: single use, 90 s).
	TicketTTL = 90 * time.Second
)

// ErrNotConnected: no client holds a WebSocket to the gateway.
var ErrNotConnected = errors.New("dingtalktest: no stream client connected")

// A StreamOpen is one POST /v1.0/gateway/connections/open.
type StreamOpen struct {
	ClientID      string
	Subscriptions []string // "TYPE topic"
	UA            string
	Status        int // what the fake answered
}

// A StreamAck is one response frame a client sent: an ACK of a pushed
// message or the pong of a SYSTEM ping.
type StreamAck struct {
	MessageID string // headers.messageId, the frame answered
	Code      int
	Message   string
	Data      string
	Conn      int // 1 for the first WebSocket accepted, 2 for the next …
}

// A StreamGateway is a fake DingTalk Stream gateway on 127.0.0.1, speaking
// the protocol of PROTOCOLS §4.4 as the open-dingtalk SDK expects it: the
// connections/open HTTP call returns a ws:// endpoint and a single-use
// ticket; the WebSocket carries JSON data frames
// {specVersion,type,headers{topic,messageId,…},data} one way and
// {code,headers{messageId},message,data} answers the other. URL is the
// OpenAPI host to configure in the client (dingtalk.openapi_base_url).
type StreamGateway struct {
	URL string
	srv *httptest.Server

	mu       sync.Mutex
	secret   string
	opens    []StreamOpen
	tickets  map[string]time.Time // unused ticket → expiry
	accepted int
	cur      *gwConn
	frames   map[string][]byte // pushed frames by messageId, for redelivery
	order    []string          // messageIds pushed, oldest first
	acks     []StreamAck
	lost     []StreamAck
	loseAcks bool
	stall    bool
	cards    cardAPI // cards.go
}

type gwConn struct {
	n      int
	c      *websocket.Conn
	closed chan struct{} // closed by close
	once   sync.Once
}

func (gc *gwConn) close() {
	gc.once.Do(func() { close(gc.closed) })
	gc.c.CloseNow()
}

// NewStreamGateway starts a fake gateway that accepts StreamClientID and
// StreamClientSecret, and closes it when the test ends.
func NewStreamGateway(t testing.TB) *StreamGateway {
	g := &StreamGateway{
		secret:  StreamClientSecret,
		tickets: map[string]time.Time{},
		frames:  map[string][]byte{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1.0/gateway/connections/open", g.serveOpen)
	mux.HandleFunc("GET /connect", g.serveConnect)
	g.mountCards(mux) // the card OpenAPI lives on the same host (cards.go)
	g.srv = httptest.NewServer(mux)
	g.URL = g.srv.URL
	t.Cleanup(func() {
		g.Drop()
		g.srv.Close()
	})
	return g
}

// serveOpen answers connections/open: credentials and the robot topic
// checked, a ws:// endpoint on this server and a fresh ticket returned.
func (g *StreamGateway) serveOpen(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ClientID      string `json:"clientId"`
		ClientSecret  string `json:"clientSecret"`
		Subscriptions []struct{ Type, Topic string }
		UA            string `json:"ua"`
	}
	open := StreamOpen{Status: http.StatusOK}
	err := json.NewDecoder(r.Body).Decode(&req)
	open.ClientID, open.UA = req.ClientID, req.UA
	robot := false
	for _, s := range req.Subscriptions {
		open.Subscriptions = append(open.Subscriptions, s.Type+" "+s.Topic)
		robot = robot || (s.Type == "CALLBACK" && s.Topic == RobotTopic)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case err != nil || !robot:
		open.Status = http.StatusBadRequest
	case req.ClientID != StreamClientID || req.ClientSecret != g.secret:
		open.Status = http.StatusUnauthorized
	}
	g.opens = append(g.opens, open)
	w.Header().Set("Content-Type", "application/json")
	if open.Status != http.StatusOK {
		w.WriteHeader(open.Status)
		json.NewEncoder(w).Encode(map[string]string{"code": "InvalidAuthentication", "message": "fake gateway refused the request"})
		return
	}
	ticket := randomID()
	g.tickets[ticket] = time.Now().Add(TicketTTL)
	endpoint := "ws" + strings.TrimPrefix(g.URL, "http") + "/connect"
	json.NewEncoder(w).Encode(map[string]string{"endpoint": endpoint, "ticket": ticket})
}

// serveConnect accepts a WebSocket that presents an unused, unexpired
// ticket, makes it the current connection and records what it sends.
func (g *StreamGateway) serveConnect(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	g.mu.Lock()
	exp, ok := g.tickets[ticket]
	delete(g.tickets, ticket)
	g.mu.Unlock()
	if !ok || time.Now().After(exp) {
		http.Error(w, "invalid ticket", http.StatusUnauthorized)
		return
	}
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	g.mu.Lock()
	g.accepted++
	gc := &gwConn{n: g.accepted, c: c, closed: make(chan struct{})}
	old := g.cur
	g.cur = gc
	g.mu.Unlock()
	if old != nil { // one client at a time keeps tests deterministic
		old.close()
	}
	g.read(gc)
}

// read records the client's response frames until the connection ends.
func (g *StreamGateway) read(gc *gwConn) {
	defer func() {
		gc.close()
		g.mu.Lock()
		if g.cur == gc {
			g.cur = nil
		}
		g.mu.Unlock()
	}()
	for {
		_, raw, err := gc.c.Read(context.Background())
		if err != nil {
			return
		}
		var f struct {
			Code    int               `json:"code"`
			Headers map[string]string `json:"headers"`
			Message string            `json:"message"`
			Data    string            `json:"data"`
		}
		if json.Unmarshal(raw, &f) != nil {
			continue
		}
		a := StreamAck{MessageID: f.Headers["messageId"], Code: f.Code, Message: f.Message, Data: f.Data, Conn: gc.n}
		g.mu.Lock()
		if g.loseAcks {
			g.lost = append(g.lost, a)
		} else {
			g.acks = append(g.acks, a)
			g.cards.ackArrived() // cards.go
		}
		stall := g.stall
		g.stall = false
		g.mu.Unlock()
		if stall {
			// coder/websocket answers pings only inside Read: not reading
			// is a peer that has gone silent, as behind a dead NAT mapping.
			<-gc.closed
			return
		}
	}
}

// push sends one data frame to the current connection.
func (g *StreamGateway) push(typ, topic, id string, data []byte) error {
	f := map[string]any{
		"specVersion": "1.0",
		"type":        typ,
		"headers": map[string]string{
			"appId":        "fake-app",
			"connectionId": "fake-conn",
			"contentType":  "application/json",
			"messageId":    id,
			"time":         strconv.FormatInt(time.Now().UnixMilli(), 10),
			"topic":        topic,
		},
		"data": string(data),
	}
	raw, err := json.Marshal(f)
	if err != nil {
		return err
	}
	g.mu.Lock()
	cur := g.cur
	if typ == "CALLBACK" {
		if _, seen := g.frames[id]; !seen {
			g.order = append(g.order, id)
		}
		g.frames[id] = raw
	}
	g.mu.Unlock()
	return g.send(cur, raw)
}

func (g *StreamGateway) send(cur *gwConn, raw []byte) error {
	if cur == nil {
		return ErrNotConnected
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return cur.c.Write(ctx, websocket.MessageText, raw)
}
