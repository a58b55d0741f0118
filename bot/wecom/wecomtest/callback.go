package wecomtest

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// A Callback is one request WeCom would send to a callback URL. Send it
// twice to simulate WeCom's retry of the same message: the bytes are equal.
type Callback struct {
	Method    string
	URL       string // with msg_signature, timestamp, nonce (and echostr)
	Body      []byte
	Nonce     string
	Timestamp string
	Encrypt   string // the ciphertext (echostr for a GET)
}

// Request builds a fresh *http.Request for the callback.
func (cb *Callback) Request(ctx context.Context) (*http.Request, error) {
	var body io.Reader
	if cb.Body != nil {
		body = bytes.NewReader(cb.Body)
	}
	return http.NewRequestWithContext(ctx, cb.Method, cb.URL, body)
}

// Send delivers the callback once and returns the status and body.
func (cb *Callback) Send(ctx context.Context, hc *http.Client) (int, []byte, error) {
	req, err := cb.Request(ctx)
	if err != nil {
		return 0, nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// Deliver sends the callback as WeCom does: five seconds per attempt, and
// on a timeout, a network error or a non-200 status three retries (four
// attempts in all, PROTOCOLS §1.6). It returns the last status and body
// and the number of attempts.
func (cb *Callback) Deliver(ctx context.Context, hc *http.Client) (status int, body []byte, attempts int, err error) {
	for attempts < 4 {
		attempts++
		actx, cancel := context.WithTimeout(ctx, 5*time.Second)
		status, body, err = cb.Send(actx, hc)
		cancel()
		if err == nil && status == http.StatusOK {
			return status, body, attempts, nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return status, body, attempts, err
}

// query signs encrypt and returns the callback URL's query.
func (c Crypto) query(ts time.Time, nonce, encrypt string) url.Values {
	t := strconv.FormatInt(ts.Unix(), 10)
	return url.Values{
		"msg_signature": {Signature(c.Token, t, nonce, encrypt)},
		"timestamp":     {t},
		"nonce":         {nonce},
	}
}

// VerifyURL builds the GET the console sends on 保存: echostr is echo
// encrypted, the handler must answer echo.
func (c Crypto) VerifyURL(target string, ts time.Time, nonce, echo string) (*Callback, error) {
	enc, err := c.Encrypt(nil, []byte(echo))
	if err != nil {
		return nil, err
	}
	q := c.query(ts, nonce, enc)
	q.Set("echostr", enc)
	return &Callback{Method: http.MethodGet, URL: target + "?" + q.Encode(), Nonce: nonce,
		Timestamp: q.Get("timestamp"), Encrypt: enc}, nil
}

// EncryptedCallback builds the app callback POST carrying plainXML (see
// TextMessage): the <xml><ToUserName/><Encrypt/><AgentID/></xml> envelope.
func (c Crypto) EncryptedCallback(target string, ts time.Time, nonce string, agentID int64, plainXML []byte) (*Callback, error) {
	enc, err := c.Encrypt(nil, plainXML)
	if err != nil {
		return nil, err
	}
	body := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><Encrypt><![CDATA[%s]]></Encrypt><AgentID><![CDATA[%d]]></AgentID></xml>",
		c.ReceiveID, enc, agentID)
	return c.signed(target, ts, nonce, enc, []byte(body)), nil
}

// EncryptedJSONCallback builds the AI bot's POST {"encrypt":"…"} carrying
// plainJSON (see AIBotText).
func (c Crypto) EncryptedJSONCallback(target string, ts time.Time, nonce string, plainJSON []byte) (*Callback, error) {
	enc, err := c.Encrypt(nil, plainJSON)
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(map[string]string{"encrypt": enc})
	return c.signed(target, ts, nonce, enc, body), nil
}

// Signed wraps an arbitrary body and ciphertext in a correctly signed POST,
// for tests that feed malformed ciphertexts with valid signatures.
func (c Crypto) Signed(target string, ts time.Time, nonce, encrypt string, body []byte) *Callback {
	return c.signed(target, ts, nonce, encrypt, body)
}

func (c Crypto) signed(target string, ts time.Time, nonce, enc string, body []byte) *Callback {
	q := c.query(ts, nonce, enc)
	return &Callback{Method: http.MethodPost, URL: target + "?" + q.Encode(), Body: body,
		Nonce: nonce, Timestamp: q.Get("timestamp"), Encrypt: enc}
}

// OpenXMLReply checks an app's passive reply as WeCom would: the
// envelope's MsgSignature over its TimeStamp, Nonce and Encrypt, the
// receive id, and that Nonce echoes wantNonce. It returns the plaintext.
func (c Crypto) OpenXMLReply(body []byte, wantNonce string) ([]byte, error) {
	var env struct {
		Encrypt      string `xml:"Encrypt"`
		MsgSignature string `xml:"MsgSignature"`
		TimeStamp    string `xml:"TimeStamp"`
		Nonce        string `xml:"Nonce"`
	}
	if err := xml.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("wecomtest: reply envelope: %w", err)
	}
	return c.openReply(env.Encrypt, env.MsgSignature, env.TimeStamp, env.Nonce, wantNonce)
}

// OpenJSONReply checks an AI bot's passive reply
// {"encrypt","msgsignature","timestamp":number,"nonce"} and returns the
// plaintext JSON.
func (c Crypto) OpenJSONReply(body []byte, wantNonce string) ([]byte, error) {
	var env struct {
		Encrypt      string `json:"encrypt"`
		MsgSignature string `json:"msgsignature"`
		Timestamp    int64  `json:"timestamp"` // a number, per path/101033
		Nonce        string `json:"nonce"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("wecomtest: reply envelope: %w", err)
	}
	return c.openReply(env.Encrypt, env.MsgSignature, strconv.FormatInt(env.Timestamp, 10), env.Nonce, wantNonce)
}

func (c Crypto) openReply(enc, sig, ts, nonce, wantNonce string) ([]byte, error) {
	if enc == "" || sig == "" || ts == "" || ts == "0" {
		return nil, errors.New("wecomtest: reply lacks Encrypt, signature or timestamp")
	}
	if nonce != wantNonce {
		return nil, fmt.Errorf("wecomtest: reply nonce %q, want the callback's %q", nonce, wantNonce)
	}
	if want := Signature(c.Token, ts, nonce, enc); sig != want {
		return nil, fmt.Errorf("wecomtest: reply signature %s, want %s", sig, want)
	}
	msg, rid, err := c.Decrypt(enc)
	if err != nil {
		return nil, err
	}
	if rid != c.ReceiveID {
		return nil, fmt.Errorf("wecomtest: reply receive id %q, want %q", rid, c.ReceiveID)
	}
	return msg, nil
}
