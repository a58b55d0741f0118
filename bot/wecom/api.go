package wecom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is WeCom's API host; configs override it for private
// deployments and loopback fakes.
const DefaultBaseURL = "https://qyapi.weixin.qq.com"

// maxResponse bounds what we read of an API reply.
const maxResponse = 1 << 20

// apiStatus is the errcode/errmsg pair every WeCom API reply carries.
type apiStatus struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

func (s *apiStatus) status() *apiStatus { return s }

type statusHolder interface{ status() *apiStatus }

// client is the HTTP side shared by every sender: one base URL, one
// *http.Client per instance (never silenceper's global DefaultHTTPClient).
type client struct {
	base    string
	hc      *http.Client
	secrets []string // scrubbed from errmsg
}

func newClient(base string, hc *http.Client, secrets ...string) (client, error) {
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return client{}, fmt.Errorf("wecom: base URL %q must be http(s)://host", redactURL(base))
	}
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	return client{base: strings.TrimRight(base, "/"), hc: hc, secrets: secrets}, nil
}

// do sends body as JSON (GET when body is nil) to rawURL and decodes the
// reply into out, turning HTTP failures and errcode != 0 into typed errors.
func (c client) do(ctx context.Context, op, rawURL string, body any, out statusHolder) error {
	method, rd := http.MethodGet, io.Reader(nil)
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("wecom %s: encode request: %w", op, err)
		}
		method, rd = http.MethodPost, bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
	if err != nil {
		return fmt.Errorf("wecom %s: build request for %s: %w", op, redactURL(rawURL), stripURL(err))
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return &NetError{Op: op, URL: redactURL(rawURL), Err: stripURL(err)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return &NetError{Op: op, URL: redactURL(rawURL), Err: fmt.Errorf("read reply: %w", err)}
	}
	if resp.StatusCode != http.StatusOK {
		return &APIError{Op: op, Status: resp.StatusCode, Msg: c.scrub(snippet(data))}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &APIError{Op: op, Status: resp.StatusCode, Msg: "malformed reply: " + c.scrub(snippet(data))}
	}
	if st := out.status(); st.ErrCode != 0 {
		return &APIError{Op: op, Status: resp.StatusCode, Code: st.ErrCode, Msg: c.scrub(st.ErrMsg)}
	}
	return nil
}

func (c client) scrub(s string) string { return scrub(s, c.secrets...) }

// snippet shortens a reply body for an error message.
func snippet(b []byte) string {
	const n = 200
	s := strings.ToValidUTF8(string(b), "?")
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "") + "…"
	}
	return strings.TrimSpace(s)
}

// stripURL drops a *url.Error's URL, which would print the key or token.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
