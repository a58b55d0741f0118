package dingtalk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"duban/bot"
)

// The 互动卡片 OpenAPI (PROTOCOLS §9.3), on api.dingtalk.com:
//
//	POST /v1.0/oauth2/accessToken          {"appKey","appSecret"} → {"accessToken","expireIn"}
//	POST /v1.0/card/instances/createAndDeliver   (header x-acs-dingtalk-access-token)
//	PUT  /v1.0/card/instances                    {"outTrackId","cardData":{"cardParamMap"},"cardUpdateOptions"}
//
// A refusal is a non-200 status with {"code","message"} (the new API's
// error shape), returned as *APIError with Msg "code: message".

// CardAPIConfig configures the card API client.
type CardAPIConfig struct {
	// AppKey and AppSecret are the app's credentials (the Stream's
	// client_id and client_secret). Required.
	AppKey    string
	AppSecret Secret
	// RobotCode is the robot that delivers cards to groups; default AppKey
	// (an enterprise-internal robot's code is its app's AppKey).
	RobotCode string
	// BaseURL is the OpenAPI host. Default: https://api.dingtalk.com.
	BaseURL    string
	HTTPClient *http.Client // default: a client with a timeout
	Now        func() time.Time
}

// A CardAPI creates, delivers and updates interactive cards.
type CardAPI struct {
	cfg  CardAPIConfig
	hc   *http.Client
	mu   sync.Mutex
	tok  string
	till time.Time
}

// NewCardAPI returns a card API client.
func NewCardAPI(cfg CardAPIConfig) (*CardAPI, error) {
	if cfg.AppKey == "" || cfg.AppSecret == "" {
		return nil, errors.New("dingtalk cards: app key and secret are required")
	}
	if cfg.RobotCode == "" {
		cfg.RobotCode = cfg.AppKey
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultOpenAPIBaseURL
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &CardAPI{cfg: cfg, hc: newHTTPClient(cfg.HTTPClient)}, nil
}

// token returns a cached access token, fetching one when it is missing or
// within a minute of expiring.
func (a *CardAPI) token(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.tok != "" && a.cfg.Now().Before(a.till) {
		return a.tok, nil
	}
	var out struct {
		AccessToken string `json:"accessToken"`
		ExpireIn    int64  `json:"expireIn"`
	}
	body := map[string]string{"appKey": a.cfg.AppKey, "appSecret": string(a.cfg.AppSecret)}
	if err := a.do(ctx, "access token", http.MethodPost, "/v1.0/oauth2/accessToken", "", body, &out); err != nil {
		return "", err
	}
	if out.AccessToken == "" {
		return "", &APIError{Op: "access token", Status: 200, Msg: "no accessToken in the answer"}
	}
	a.tok = out.AccessToken
	a.till = a.cfg.Now().Add(time.Duration(max(out.ExpireIn-60, 60)) * time.Second)
	return a.tok, nil
}

// A CardDelivery is one card to create and deliver to a group.
type CardDelivery struct {
	TemplateID         string
	OutTrackID         string
	OpenConversationID string
	Params             map[string]string
}

// Deliver creates a card from a template and delivers it to a group,
// with clicks coming back over Stream.
func (a *CardAPI) Deliver(ctx context.Context, d CardDelivery) error {
	body := map[string]any{
		"cardTemplateId":          d.TemplateID,
		"outTrackId":              d.OutTrackID,
		"cardData":                map[string]any{"cardParamMap": d.Params},
		"callbackType":            "STREAM",
		"openSpaceId":             "dtv1.card//IM_GROUP." + d.OpenConversationID,
		"imGroupOpenSpaceModel":   map[string]any{"supportForward": false},
		"imGroupOpenDeliverModel": map[string]any{"robotCode": a.cfg.RobotCode},
		"userIdType":              1,
	}
	return a.authed(ctx, "deliver card", http.MethodPost, "/v1.0/card/instances/createAndDeliver", body)
}

// Update changes a delivered card's public data by key (PUT
// /v1.0/card/instances): a later change such as a reviewer's decision.
func (a *CardAPI) Update(ctx context.Context, outTrackID string, params map[string]string) error {
	body := map[string]any{
		"outTrackId":        outTrackID,
		"cardData":          map[string]any{"cardParamMap": params},
		"cardUpdateOptions": map[string]any{"updateCardDataByKey": true},
		"userIdType":        1,
	}
	return a.authed(ctx, "update card", http.MethodPut, "/v1.0/card/instances", body)
}

// UpdateCard shows v on the delivered card outTrackID: a reviewer's
// decision on the claim a unit tapped there, long after the tap's own
// answer frame (report.CardUpdater). The tap is not needed: an update by
// key changes the card for everyone in the group.
func (a *CardAPI) UpdateCard(ctx context.Context, outTrackID string, _ bot.CardAction, v bot.CardView) error {
	if outTrackID == "" {
		return errors.New("dingtalk: update card: no outTrackId")
	}
	return a.Update(ctx, outTrackID, ViewParams(v))
}

func (a *CardAPI) authed(ctx context.Context, op, method, path string, body any) error {
	tok, err := a.token(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return a.do(ctx, op, method, path, tok, body, nil)
}

// do sends one JSON request and decodes the answer into out (if not nil).
func (a *CardAPI) do(ctx context.Context, op, method, path, token string, body, out any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("dingtalk: %s: encode: %w", op, err)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.cfg.BaseURL+path, bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("dingtalk: %s: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("x-acs-dingtalk-access-token", token)
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return &TransportError{Op: op, Endpoint: a.cfg.BaseURL + path, Err: err}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		var e struct{ Code, Message string }
		json.Unmarshal(b, &e)
		return &APIError{Op: op, Status: resp.StatusCode, Msg: e.Code + ": " + e.Message}
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("dingtalk: %s: decode: %w", op, err)
		}
	}
	return nil
}
