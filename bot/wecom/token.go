package wecom

import (
	"context"
	"net/url"
	"sync"
	"time"
)

// tokenCache holds one app's access_token (per corp id and secret, as
// gettoken's doc asks) and refreshes it at most once per invalidation.
// The mutex is held during the fetch so concurrent senders share one
// gettoken call (gettoken is rate limited).
type tokenCache struct {
	c      client
	url    string // gettoken URL with corpid and corpsecret
	now    func() time.Time
	mu     sync.Mutex
	token  string
	expiry time.Time
}

type tokenReply struct {
	apiStatus
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

func newTokenCache(c client, corpID, secret string, now func() time.Time) *tokenCache {
	q := url.Values{"corpid": {corpID}, "corpsecret": {secret}}
	return &tokenCache{c: c, url: c.base + "/cgi-bin/gettoken?" + q.Encode(), now: now}
}

// get returns a cached token or fetches one.
func (t *tokenCache) get(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.token != "" && t.now().Before(t.expiry) {
		return t.token, nil
	}
	var r tokenReply
	if err := t.c.do(ctx, "gettoken", t.url, nil, &r); err != nil {
		return "", err
	}
	if r.AccessToken == "" {
		return "", &APIError{Op: "gettoken", Status: 200, Code: -1, Msg: "reply has no access_token"}
	}
	// Refresh five minutes early (or at half-life for short tokens) so a
	// token does not expire between get and use.
	life := time.Duration(r.ExpiresIn) * time.Second
	if margin := 5 * time.Minute; life > 2*margin {
		life -= margin
	} else {
		life /= 2
	}
	t.token, t.expiry = r.AccessToken, t.now().Add(life)
	return t.token, nil
}

// invalidate drops bad if it is still the cached token; a token another
// sender has already refreshed is kept.
func (t *tokenCache) invalidate(bad string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.token == bad {
		t.token = ""
	}
}
