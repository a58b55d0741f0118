package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"time"

	"duban/bot"
	"duban/bot/linkpage"
	"duban/handlers"
	"duban/kb"
	"duban/outbound"
	"duban/progress"
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

// linkWiring is the link route: the signer and where links point. cmd
// builds it once per process (serve, remind --send) into config.links, so
// every place that builds chat senders wraps the webhook ones.
type linkWiring struct {
	links *linkpage.Links
}

// linkRoute returns the link route of c.Links over st (for a generated
// key), with links only for what each chat may do in base; nil when
// links.base_url is unset (no links).
func (c *config) linkRoute(ctx context.Context, st store.Conversations, base func() *kb.Base) (*linkWiring, error) {
	var chats []string // the names links can be bound to
	for _, ch := range c.Chats {
		chats = append(chats, ch.Name)
	}
	lw, err := c.Links.build(ctx, st, chats)
	lw.allow(c, base)
	return lw, err
}

func (lc linksConfig) build(ctx context.Context, st store.Conversations, chats []string) (*linkWiring, error) {
	if lc.BaseURL == "" {
		return nil, nil
	}
	key, err := linkKey(ctx, lc, st)
	if err != nil {
		return nil, err
	}
	signer, err := linkpage.NewSigner(key, chats, nil)
	if err != nil {
		return nil, fmt.Errorf("links: %w", err)
	}
	ttl, _ := time.ParseDuration(lc.TTL) // validated; 0 is the default
	return &linkWiring{links: &linkpage.Links{Signer: signer, BaseURL: lc.BaseURL, TTL: ttl}}, nil
}

// dryRunLinks is the link route of a dry run (chattypes.go): c's links as
// linkRoute makes them, signed with a throwaway key that is neither c's
// nor stored; nil when links.base_url is unset.
func (c *config) dryRunLinks(base func() *kb.Base) (*linkWiring, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("links: dry-run key: %w", err)
	}
	lc := c.Links
	lc.Key = hex.EncodeToString(key)
	var chats []string
	for _, ch := range c.Chats {
		chats = append(chats, ch.Name)
	}
	lw, err := lc.build(context.Background(), nil, chats)
	lw.allow(c, base)
	return lw, err
}

// allow makes links only for what the chat may do (linkpage.Links.Allow):
// a unit's verbs on tasks one of its units leads, a reviewer's in review
// chats.
func (lw *linkWiring) allow(cfg *config, base func() *kb.Base) {
	if lw == nil {
		return
	}
	units := namedUnits(cfg.Chats)
	review := cfg.Review.reportReview(cfg.Chats)
	lw.links.Allow = func(chat string, a handlers.TaskAction, verb string) bool {
		switch verb {
		case bot.VerbDone, bot.VerbExtend:
			b := base()
			if b == nil {
				return false
			}
			rec, ok := b.Task(a.Table, a.No)
			return ok && progress.Authorize(units(chat), rec) == nil
		}
		return review.Enabled && slices.Contains(review.Chats, chat)
	}
}

// mount serves the confirmation page on srv: a confirmed link is acted on
// by actor, each token spent once in used.
func (lw *linkWiring) mount(srv *bot.Server, actor bot.CardActor, used store.Deduper, base func() *kb.Base, log *slog.Logger) {
	if lw == nil {
		return
	}
	page := linkpage.New(linkpage.Config{Signer: lw.links.Signer, Actor: actor, Used: used, Base: base, Logger: log})
	lw.links.Prefix = page.Prefix()
	srv.Handle(page.Prefix(), page)
	log.Info("one-tap links", "base_url", lw.links.BaseURL, "path", page.Prefix())
}

// wrap gives a webhook chat's sender the links; other routes (cards, app
// messages) are returned as they are. A nil linkWiring wraps nothing.
func (lw *linkWiring) wrap(ch chatConfig, s bot.Sender) bot.Sender {
	if lw == nil || s == nil {
		return s
	}
	os, ok := s.(outbound.Sender)
	if !ok {
		return s
	}
	switch ch.Type {
	case typeWeComWebhook, typeDingTalkWebhook:
		return linkpage.Wrap(os, ch.Name, lw.links)
	}
	return s
}
