package wecom

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"duban/handlers"
)

// streamReply is the plaintext passive reply (path/101031): a stream that
// is finished at once, since the whole answer is ready.
type streamReply struct {
	MsgType string `json:"msgtype"`
	Stream  struct {
		ID      string `json:"id"`
		Finish  bool   `json:"finish"`
		Content string `json:"content"`
	} `json:"stream"`
}

// jsonEnvelope is the encrypted JSON reply; timestamp is a number and
// nonce the callback's (path/101033, PROTOCOLS §8.3).
type jsonEnvelope struct {
	Encrypt      string `json:"encrypt"`
	MsgSignature string `json:"msgsignature"`
	Timestamp    int64  `json:"timestamp"`
	Nonce        string `json:"nonce"`
}

func (c *AIBotCallback) stream(content, nonce string) ([]byte, error) {
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return nil, fmt.Errorf("wecom: stream id: %w", err)
	}
	var sr streamReply
	sr.MsgType, sr.Stream.ID, sr.Stream.Finish, sr.Stream.Content = "stream", hex.EncodeToString(id), true, content
	plain, err := json.Marshal(sr)
	if err != nil {
		return nil, fmt.Errorf("wecom: marshal stream: %w", err)
	}
	now := c.in.now().Unix()
	enc, sig, err := c.in.sealer.seal(plain, now, nonce)
	if err != nil {
		return nil, err
	}
	return json.Marshal(jsonEnvelope{Encrypt: enc, MsgSignature: sig, Timestamp: now, Nonce: nonce})
}

// responder posts a late answer to response_url as one markdown message
// (≤ 20480 bytes; the URL takes one call, so further pieces are dropped).
func (c *AIBotCallback) responder(responseURL string) func(context.Context, handlers.Reply) error {
	return func(ctx context.Context, rep handlers.Reply) error {
		pieces := handlers.Render(rep, handlers.WeComAIBot)
		if blank(pieces) {
			return nil
		}
		if len(pieces) > 1 {
			c.in.log.Warn("wecom AI bot answer truncated", "pieces", len(pieces))
		}
		return c.post(ctx, responseURL, pieces[0])
	}
}

// post sends one markdown message to a response_url (path/101138).
func (c *AIBotCallback) post(ctx context.Context, responseURL, content string) error {
	if responseURL == "" {
		return errors.New("wecom: answer missed the deadline and the message has no response_url")
	}
	return c.http.do(ctx, "aibot/response", responseURL, markdownMsg(content), &apiStatus{})
}
