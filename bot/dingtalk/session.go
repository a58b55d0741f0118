package dingtalk

import (
	"context"
	"fmt"
	"net/http"

	"duban/handlers"
	"duban/outbound"
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
	return postMessages(ctx, newHTTPClient(client), "session reply", webhookURL, WebhookFormat{}.Render(r))
}

// postMessages posts msgs, rendered by WebhookFormat, in order to target,
// stopping at the first failure.
func postMessages(ctx context.Context, c *http.Client, op, target string, msgs []outbound.Message) error {
	for i, m := range msgs {
		if err := postBody(ctx, c, op, target, m.Body); err != nil {
			if len(msgs) > 1 {
				return fmt.Errorf("piece %d of %d: %w", i+1, len(msgs), err)
			}
			return err
		}
	}
	return nil
}
