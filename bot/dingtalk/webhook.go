package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/outbound"
)

// WebhookConfig configures a custom group robot (自定义机器人) sender.
type WebhookConfig struct {
	// AccessToken is the access_token of the robot's webhook URL. Required.
	AccessToken Secret
	// Secret is the 加签 signing secret ("SEC…"). Empty when the robot is
	// secured by keywords or an IP list instead.
	Secret Secret
	// BaseURL is the DingTalk API host. Default: https://oapi.dingtalk.com.
	BaseURL string
	// HTTPClient sends the POSTs. Default: a client with a 5s timeout.
	HTTPClient *http.Client
	// Title is the markdown title of a reply without a head line.
	// Default: "督办助手".
	Title string
	// Now is the clock for the signature timestamp. Default: time.Now.
	Now func() time.Time
}

// Validate reports every missing or invalid field, named by YAML path
// relative to the chat entry.
func (c WebhookConfig) Validate() error {
	var errs []error
	if c.AccessToken == "" {
		errs = append(errs, errors.New("access_token: missing"))
	}
	if c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "https://") && !strings.HasPrefix(c.BaseURL, "http://") {
		errs = append(errs, errors.New("api_base_url: not an http(s) URL"))
	}
	return errors.Join(errs...)
}

// A Webhook sends replies to one DingTalk group through a custom robot. It
// satisfies bot.Sender and outbound.Sender and is safe for concurrent
// use. DingTalk allows 20 messages a minute per robot and blocks it for 10
// minutes beyond (PROTOCOLS §5); pacing is outbound.RateLimit's job, a
// refusal comes back as an *APIError with RateLimited() true and that
// block as its RetryAfter().
type Webhook struct {
	WebhookFormat
	cfg  WebhookConfig
	base string // BaseURL + "/robot/send?access_token=…"
}

var (
	_ bot.Sender      = (*Webhook)(nil)
	_ outbound.Sender = (*Webhook)(nil)
)

// NewWebhook returns a sender for the custom robot cfg describes.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("dingtalk webhook: %w", err)
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	cfg.HTTPClient = newHTTPClient(cfg.HTTPClient)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	base := cfg.BaseURL + "/robot/send?access_token=" + url.QueryEscape(string(cfg.AccessToken))
	return &Webhook{WebhookFormat: WebhookFormat{Title: cfg.Title}, cfg: cfg, base: base}, nil
}

// Send posts r as markdown, split at DingTalk's size limit, one signed POST
// per piece, stopping at the first failure. r.Mentions (mobiles, or user
// IDs when not all digits) are @-ed on the first piece: DingTalk renders an
// @ only when "@138…" is also in the text, so the first piece ends with them.
// Errors are *APIError or *TransportError (see their Retryable) and never
// contain the access token or secret.
func (w *Webhook) Send(ctx context.Context, r handlers.Reply) error {
	err := outbound.Send(ctx, w, r)
	if errors.Is(err, outbound.ErrEmpty) {
		return fmt.Errorf("dingtalk webhook: %w", err)
	}
	return err
}

// Post implements outbound.Sender: one signed POST of a rendered message.
func (w *Webhook) Post(ctx context.Context, m outbound.Message) error {
	return w.redact(postBody(ctx, w.cfg.HTTPClient, "send", w.url(), m.Body))
}

// WebhookFormat renders replies as a custom robot posts them: markdown
// titled with the reply's head (or Title), the mentions on the first
// piece. It needs no credentials, so a dry run shows what a run sends.
type WebhookFormat struct {
	Title string // title of a reply without a head; default "督办助手"
}

// Render implements outbound.Renderer.
func (f WebhookFormat) Render(r handlers.Reply) []outbound.Message {
	ps := f.payloads(r)
	out := make([]outbound.Message, 0, len(ps))
	for _, p := range ps {
		if strings.TrimSpace(p.Markdown.Text) == "" {
			continue
		}
		b, err := json.Marshal(p)
		if err != nil {
			panic("dingtalk: encode payload: " + err.Error()) // strings only: cannot fail
		}
		out = append(out, outbound.Message{Text: p.Markdown.Text, Body: b})
	}
	return out
}

// Limit implements outbound.Renderer: DingTalk markdown's limit, less the
// line of @-mentions the first piece ends with.
func (f WebhookFormat) Limit(r handlers.Reply) int {
	_, line := mentions(r.Mentions)
	if line != "" {
		return handlers.DingTalkMarkdown.Limit - len(line) - 2
	}
	return handlers.DingTalkMarkdown.Limit
}

// payloads renders r as Send posts it: the mentions on the first piece.
func (f WebhookFormat) payloads(r handlers.Reply) []payload {
	d := handlers.DingTalkMarkdown
	d.Limit = f.Limit(r)
	mentionAt, mentionLine := mentions(r.Mentions)
	ps := markdownPayloads(r, d, f.Title)
	if mentionAt != nil {
		ps[0].At = mentionAt
		ps[0].Markdown.Text += "\n\n" + mentionLine
	}
	return ps
}

// url returns the webhook URL, signed for now when a secret is set:
// sign = urlEncode(Base64(HmacSHA256(timestamp+"\n"+secret))), timestamp
// in milliseconds (PROTOCOLS §5, vector D2).
func (w *Webhook) url() string {
	if w.cfg.Secret == "" {
		return w.base
	}
	ts := strconv.FormatInt(w.cfg.Now().UnixMilli(), 10)
	return w.base + "&timestamp=" + ts + "&sign=" + url.QueryEscape(sign(ts, w.cfg.Secret))
}

// redact removes the credentials from DingTalk's errmsg, in case it
// echoes them; post already keeps URLs' queries out of error text.
func (w *Webhook) redact(err error) error {
	var ae *APIError
	if errors.As(err, &ae) {
		for _, s := range []Secret{w.cfg.AccessToken, w.cfg.Secret} {
			if s != "" {
				ae.Msg = strings.ReplaceAll(ae.Msg, string(s), "REDACTED")
			}
		}
	}
	return err
}

// mentions splits who to @ into mobiles and user IDs and returns the
// "@… @…" line the text must contain for DingTalk to render them.
func mentions(who []string) (*at, string) {
	var a at
	var words []string
	for _, m := range who {
		m = strings.TrimSpace(m)
		if m == "" {
			continue
		}
		if isMobile(m) {
			a.AtMobiles = append(a.AtMobiles, m)
		} else {
			a.AtUserIDs = append(a.AtUserIDs, m)
		}
		words = append(words, "@"+m)
	}
	if len(words) == 0 {
		return nil, ""
	}
	return &a, strings.Join(words, " ")
}

// isMobile reports whether s looks like a phone number: digits, optionally
// after "+" and a country code with "-" ("+86-138…").
func isMobile(s string) bool {
	s = strings.TrimPrefix(s, "+")
	if len(s) < 5 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// String describes w without its credentials, for %v and logs.
func (w *Webhook) String() string { return "dingtalk.Webhook(" + endpoint(w.base) + ")" }
