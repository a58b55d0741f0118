package dingtalktest

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
)

// Interactive cards (PROTOCOLS §9.3) on the fake gateway's host, which
// stands for api.dingtalk.com: the access token, createAndDeliver and the
// card update, plus clicks pushed over Stream on CardTopic and the
// client's answer frame read back as the card update it carries.

// CardTopic is the Stream topic of card clicks.
const CardTopic = "/v1.0/card/instances/callback"

// CardToken is the access token the fake hands out for the Stream
// credentials (StreamClientID, StreamClientSecret).
const CardToken = "fake-card-access-token"

// A DeliveredCard is one accepted createAndDeliver.
type DeliveredCard struct {
	TemplateID  string
	OutTrackID  string
	OpenSpaceID string // "dtv1.card//IM_GROUP.<openConversationId>"
	RobotCode   string
	Params      map[string]string
}

// A CardUpdate is one accepted PUT /v1.0/card/instances.
type CardUpdate struct {
	OutTrackID string
	Params     map[string]string
}

type cardAPI struct {
	delivered []DeliveredCard
	updates   []CardUpdate
	tracks    map[string]bool
	tokens    int
	acked     chan struct{} // closed and replaced at each answer frame
}

// ackArrived signals AckSignal's waiters; g.mu is held.
func (c *cardAPI) ackArrived() {
	if c.acked != nil {
		close(c.acked)
		c.acked = nil
	}
}

// AckSignal returns a channel closed when the next answer frame arrives,
// for waiting without polling.
func (g *StreamGateway) AckSignal() <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cards.acked == nil {
		g.cards.acked = make(chan struct{})
	}
	return g.cards.acked
}

func (g *StreamGateway) mountCards(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1.0/oauth2/accessToken", g.serveToken)
	mux.HandleFunc("POST /v1.0/card/instances/createAndDeliver", g.serveDeliver)
	mux.HandleFunc("PUT /v1.0/card/instances", g.serveCardUpdate)
}

func apiError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"code": code, "message": msg})
}

func (g *StreamGateway) serveToken(w http.ResponseWriter, r *http.Request) {
	var req struct{ AppKey, AppSecret string }
	json.NewDecoder(r.Body).Decode(&req)
	g.mu.Lock()
	ok := req.AppKey == StreamClientID && req.AppSecret == g.secret
	if ok {
		g.cards.tokens++
	}
	g.mu.Unlock()
	if !ok {
		apiError(w, http.StatusBadRequest, "invalidClientIdOrSecret", "无效的clientId或者clientSecret")
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"accessToken": CardToken, "expireIn": 7200})
}

func (g *StreamGateway) serveDeliver(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("x-acs-dingtalk-access-token") != CardToken {
		apiError(w, http.StatusUnauthorized, "InvalidAuthentication", "不合法的access_token")
		return
	}
	var req struct {
		CardTemplateID string `json:"cardTemplateId"`
		OutTrackID     string `json:"outTrackId"`
		CardData       struct {
			CardParamMap map[string]string `json:"cardParamMap"`
		} `json:"cardData"`
		CallbackType string `json:"callbackType"`
		OpenSpaceID  string `json:"openSpaceId"`
		DeliverModel *struct {
			RobotCode string `json:"robotCode"`
		} `json:"imGroupOpenDeliverModel"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		apiError(w, http.StatusBadRequest, "InvalidParameter", "body is not json: cardParamMap values must be strings")
		return
	}
	switch {
	case req.CardTemplateID == "" || req.OutTrackID == "":
		apiError(w, http.StatusBadRequest, "InvalidParameter", "cardTemplateId and outTrackId are required")
		return
	case !strings.HasPrefix(req.OpenSpaceID, "dtv1.card//IM_GROUP.") || req.DeliverModel == nil || req.DeliverModel.RobotCode == "":
		apiError(w, http.StatusBadRequest, "InvalidParameter", "a group delivery needs openSpaceId dtv1.card//IM_GROUP.<cid> and imGroupOpenDeliverModel.robotCode")
		return
	case req.CallbackType != "STREAM":
		apiError(w, http.StatusBadRequest, "InvalidParameter", "callbackType must be STREAM for Stream callbacks")
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cards.tracks[req.OutTrackID] {
		apiError(w, http.StatusBadRequest, "InvalidParameter", "outTrackId already used")
		return
	}
	if g.cards.tracks == nil {
		g.cards.tracks = map[string]bool{}
	}
	g.cards.tracks[req.OutTrackID] = true
	g.cards.delivered = append(g.cards.delivered, DeliveredCard{TemplateID: req.CardTemplateID, OutTrackID: req.OutTrackID,
		OpenSpaceID: req.OpenSpaceID, RobotCode: req.DeliverModel.RobotCode, Params: req.CardData.CardParamMap})
	json.NewEncoder(w).Encode(map[string]any{"success": true, "result": map[string]any{"outTrackId": req.OutTrackID}})
}

func (g *StreamGateway) serveCardUpdate(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("x-acs-dingtalk-access-token") != CardToken {
		apiError(w, http.StatusUnauthorized, "InvalidAuthentication", "不合法的access_token")
		return
	}
	var req struct {
		OutTrackID string `json:"outTrackId"`
		CardData   struct {
			CardParamMap map[string]string `json:"cardParamMap"`
		} `json:"cardData"`
	}
	json.NewDecoder(r.Body).Decode(&req)
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.cards.tracks[req.OutTrackID] {
		apiError(w, http.StatusNotFound, "cardNotExist", "card of outTrackId not found")
		return
	}
	g.cards.updates = append(g.cards.updates, CardUpdate{OutTrackID: req.OutTrackID, Params: req.CardData.CardParamMap})
	json.NewEncoder(w).Encode(map[string]any{"success": true, "result": true})
}

// A CardClick is a tap on a delivered card's button.
type CardClick struct {
	OutTrackID string
	UserID     string
	// ConversationID is the group's openConversationId; "" for a 1:1 card.
	ConversationID string
	ActionID       string            // "done", "extend", "detail"
	Params         map[string]string // the button's callback params, e.g. {"task": "key_tasks:76"}
}

// ErrNoCardSubscription: the client did not subscribe to CardTopic, so
// DingTalk would not deliver clicks to it.
var ErrNoCardSubscription = errors.New("dingtalktest: client did not subscribe to " + CardTopic)

// PushCardClick sends a click as a CALLBACK frame on CardTopic, with
// content a JSON string inside the data, and returns the frame's
// messageId; Redeliver replays it.
func (g *StreamGateway) PushCardClick(k CardClick) (string, error) {
	g.mu.Lock()
	subscribed := len(g.opens) > 0 && slices.Contains(g.opens[len(g.opens)-1].Subscriptions, "CALLBACK "+CardTopic)
	g.mu.Unlock()
	if !subscribed {
		return "", ErrNoCardSubscription
	}
	content, _ := json.Marshal(map[string]any{"cardPrivateData": map[string]any{"actionIds": []string{k.ActionID}, "params": k.Params}})
	data := map[string]any{"outTrackId": k.OutTrackID, "userId": k.UserID, "corpId": "dingfakecorp", "type": "actionCallback",
		"spaceType": "IM_ROBOT", "spaceId": k.UserID, "content": string(content), "extension": "{}", "userIdType": 1}
	if k.ConversationID != "" {
		data["spaceType"], data["spaceId"] = "IM_GROUP", k.ConversationID
	}
	raw, _ := json.Marshal(data)
	id := "card-" + randomID()
	return id, g.push("CALLBACK", CardTopic, id, raw)
}

// A CardAnswer is the card update an answer frame carried.
type CardAnswer struct {
	Public  map[string]string // cardData.cardParamMap: everyone sees it
	Private map[string]string // userPrivateData.cardParamMap: the tapping user only
}

// CardAnswers returns the card updates the client's answers to frame id
// carried, in order; an answer without one ({"response":null}) is left out.
func (g *StreamGateway) CardAnswers(id string) []CardAnswer {
	var out []CardAnswer
	for _, a := range g.Acks() {
		if a.MessageID != id || a.Code != http.StatusOK {
			continue
		}
		var d struct {
			Response *struct {
				CardData    *struct{ CardParamMap map[string]string } `json:"cardData"`
				PrivateData *struct{ CardParamMap map[string]string } `json:"userPrivateData"`
			} `json:"response"`
		}
		if json.Unmarshal([]byte(a.Data), &d) != nil || d.Response == nil {
			continue
		}
		var ans CardAnswer
		if d.Response.CardData != nil {
			ans.Public = d.Response.CardData.CardParamMap
		}
		if d.Response.PrivateData != nil {
			ans.Private = d.Response.PrivateData.CardParamMap
		}
		out = append(out, ans)
	}
	return out
}

// DeliveredCards returns the accepted createAndDeliver calls, in order.
func (g *StreamGateway) DeliveredCards() []DeliveredCard {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]DeliveredCard(nil), g.cards.delivered...)
}

// CardUpdates returns the accepted PUT /v1.0/card/instances calls.
func (g *StreamGateway) CardUpdates() []CardUpdate {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]CardUpdate(nil), g.cards.updates...)
}

// Tokens returns how many access tokens the fake handed out.
func (g *StreamGateway) Tokens() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.cards.tokens
}
