package dingtalk

import (
	"context"
	"fmt"
	"net/http"

	"duban/handlers"
)

// ReplySession posts r as markdown to a message's sessionWebhook, one POST
// per piece when it is longer than DingTalk's limit, in order, stopping at
// the first failure. The webhook needs no signature; it expires at the
// message's sessionWebhookExpiredTime (check Callback.SessionValid first).
// A nil client gets one with DefaultTimeout. Errors are *APIError or
// *TransportError and never contain the session key.
//
// The Robot uses it for late answers; the Stream mode, which cannot answer
// over its socket (PROTOCOLS §4.3), uses it for every answer.
func ReplySession(ctx context.Context, client *http.Client, webhookURL string, r handlers.Reply) error {
	ps := markdownPayloads(r, handlers.DingTalkMarkdown, "")
	return postAll(ctx, newHTTPClient(client), "session reply", webhookURL, ps)
}

// postAll posts ps in order to target, stopping at the first failure.
func postAll(ctx context.Context, c *http.Client, op, target string, ps []payload) error {
	for i, p := range ps {
		if err := post(ctx, c, op, target, p); err != nil {
			if len(ps) > 1 {
				return fmt.Errorf("piece %d of %d: %w", i+1, len(ps), err)
			}
			return err
		}
	}
	return nil
}
