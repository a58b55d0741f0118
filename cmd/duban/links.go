package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"duban/bot"
	"duban/bot/linkpage"
	"duban/kb"
	"duban/outbound"
	"duban/scheduler"
	"duban/store"
)

// linksConfig is `links:` (issue 18): the signed one-tap links that
// webhook-only chats get in their reminders. Off unless base_url is set.
type linksConfig struct {
	// BaseURL is where officials' phones reach duban's page, e.g.
	// https://duban.example.gov.cn (serve's listen address behind the
	// proxy). Set → wecom_webhook and dingtalk_webhook reminders carry links.
	BaseURL string `yaml:"base_url"`
	// Key signs the links (HMAC-SHA256), at least 32 characters. Empty: a
	// key is generated once and kept in the store, shared by replicas.
	Key string `yaml:"key"`
	// TTL is how long a link works. Default: 168h (a week).
	TTL string `yaml:"ttl"`
}

func (lc linksConfig) validate() []error {
	var errs []error
	if lc.BaseURL != "" {
		if u, err := url.Parse(lc.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, fmt.Errorf("links.base_url: %q: want https://host[:port]", lc.BaseURL))
		}
	}
	if lc.Key != "" && len(lc.Key) < 32 {
		errs = append(errs, fmt.Errorf("links.key: %d characters, want at least 32", len(lc.Key)))
	}
	if lc.TTL != "" {
		if d, err := time.ParseDuration(lc.TTL); err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("links.ttl: %q: want a duration such as 168h", lc.TTL))
		}
	}
	return errs
}

// linkKeyName is the store key of a generated link key.
const linkKeyName = "duban|link-key"

// linkKeyTTL keeps a generated key for good: a lost key only makes links
// already sent fail, and the next reminder carries new ones.
const linkKeyTTL = 10 * 365 * 24 * time.Hour

// linkKey returns the configured key, else the one kept in st, else a new
// one it keeps there. Two replicas starting at once may each store one;
// both then read back the one stored last.
func linkKey(ctx context.Context, lc linksConfig, st store.Conversations) ([]byte, error) {
	if lc.Key != "" {
		return []byte(lc.Key), nil
	}
	if b, ok, err := st.Get(ctx, linkKeyName); err != nil {
		return nil, fmt.Errorf("links: read key: %w", err)
	} else if ok && len(b) >= 32 {
		return b, nil
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("links: generate key: %w", err)
	}
	if err := st.Put(ctx, linkKeyName, []byte(hex.EncodeToString(raw)), linkKeyTTL); err != nil {
		return nil, fmt.Errorf("links: keep key: %w", err)
	}
	b, _, err := st.Get(ctx, linkKeyName)
	if err != nil || len(b) < 32 {
		return nil, fmt.Errorf("links: read key back: %v", err)
	}
	return b, nil
}

// linkWiring is the link route of `duban serve`: the page mounted on the
// server and the links put into webhook chats' reminders.
type linkWiring struct {
	links *linkpage.Links
}

// wireLinks mounts the confirmation page and returns what wraps webhook
// senders; with links.base_url unset it returns nil (no links).
func wireLinks(ctx context.Context, cfg *config, srv *bot.Server, st store.Store, actor bot.CardActor, base func() *kb.Base, log *slog.Logger) (*linkWiring, error) {
	lc := cfg.Links
	if lc.BaseURL == "" {
		return nil, nil
	}
	key, err := linkKey(ctx, lc, st)
	if err != nil {
		return nil, err
	}
	signer, err := linkpage.NewSigner(key, nil)
	if err != nil {
		return nil, fmt.Errorf("links: %w", err)
	}
	ttl, _ := time.ParseDuration(lc.TTL) // validated; 0 is the default
	page := linkpage.New(linkpage.Config{Signer: signer, Actor: actor, Used: st, Base: base, Logger: log})
	srv.Handle(page.Prefix(), page)
	log.Info("one-tap links", "base_url", lc.BaseURL, "path", page.Prefix())
	return &linkWiring{links: &linkpage.Links{Signer: signer, BaseURL: lc.BaseURL, Prefix: page.Prefix(), TTL: ttl}}, nil
}

// wrap gives a webhook chat's sender the links; other routes (cards, app
// messages) are returned as they are. A nil linkWiring wraps nothing.
func (lw *linkWiring) wrap(ch chatConfig, s outbound.Sender) outbound.Sender {
	if lw == nil || s == nil {
		return s
	}
	switch ch.Type {
	case scheduler.WeComWebhook, scheduler.DingTalkWebhook:
		return linkpage.Wrap(s, ch.Name, lw.links)
	}
	return s
}
