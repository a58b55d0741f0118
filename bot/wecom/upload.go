package wecom

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
)

// File limits of the group robot's upload_media (path/91770 "文件上传接口"):
// a file must be larger than 5 bytes and at most 20 MB, and its media_id
// is valid for three days, for this robot only. So a file is uploaded
// right before the message that posts it, never cached.
const (
	minUpload = 5
	maxUpload = 20 << 20
)

// uploadReply is upload_media's answer:
// {"errcode":0,"errmsg":"ok","type":"file","media_id":"…","created_at":"…"}.
type uploadReply struct {
	apiStatus
	Type    string `json:"type"`
	MediaID string `json:"media_id"`
}

// UploadFile uploads data as a file named name to the robot
// (POST /cgi-bin/webhook/upload_media?key=KEY&type=file, multipart field
// "media") and returns its media_id. Errors are *APIError or *NetError,
// with the key redacted.
func (w *Webhook) UploadFile(ctx context.Context, name string, data []byte) (string, error) {
	const op = "webhook/upload_media"
	if len(data) <= minUpload || len(data) > maxUpload {
		return "", fmt.Errorf("wecom %s: %s is %d bytes; the robot takes more than %d and at most %d", op, name, len(data), minUpload, maxUpload)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="media"; filename="%s"; filelength=%d`, escapeQuotes(name), len(data)))
	h.Set("Content-Type", "application/octet-stream")
	part, err := mw.CreatePart(h)
	if err != nil {
		return "", fmt.Errorf("wecom %s: %w", op, err)
	}
	if _, err := part.Write(data); err != nil {
		return "", fmt.Errorf("wecom %s: %w", op, err)
	}
	if err := mw.Close(); err != nil {
		return "", fmt.Errorf("wecom %s: %w", op, err)
	}
	raw := w.c.base + "/cgi-bin/webhook/upload_media?key=" + url.QueryEscape(w.key) + "&type=file"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, raw, &body)
	if err != nil {
		return "", fmt.Errorf("wecom %s: build request for %s: %w", op, redactURL(raw), stripURL(err))
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := w.c.hc.Do(req)
	if err != nil {
		return "", &NetError{Op: op, URL: redactURL(raw), Err: stripURL(err)}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return "", &NetError{Op: op, URL: redactURL(raw), Err: fmt.Errorf("read reply: %w", err)}
	}
	if resp.StatusCode != http.StatusOK {
		return "", &APIError{Op: op, Status: resp.StatusCode, Msg: w.c.scrub(snippet(b))}
	}
	var out uploadReply
	if err := json.Unmarshal(b, &out); err != nil {
		return "", &APIError{Op: op, Status: resp.StatusCode, Msg: "malformed reply: " + w.c.scrub(snippet(b))}
	}
	if out.ErrCode != 0 {
		return "", &APIError{Op: op, Status: resp.StatusCode, Code: out.ErrCode, Msg: w.c.scrub(out.ErrMsg)}
	}
	if out.MediaID == "" {
		return "", &APIError{Op: op, Status: resp.StatusCode, Msg: "no media_id in reply: " + w.c.scrub(snippet(b))}
	}
	return out.MediaID, nil
}

// SendFile uploads data and posts it to the group as a file message
// ({"msgtype":"file","file":{"media_id":"…"}}): the xlsx of a 通报.
func (w *Webhook) SendFile(ctx context.Context, name string, data []byte) error {
	id, err := w.UploadFile(ctx, name, data)
	if err != nil {
		return err
	}
	msg := map[string]any{"msgtype": "file", "file": map[string]string{"media_id": id}}
	return w.c.do(ctx, "webhook/send file", w.url, msg, &apiStatus{})
}

// escapeQuotes makes name safe inside a quoted header parameter, as
// mime/multipart does for its own CreateFormFile.
func escapeQuotes(s string) string {
	return strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "").Replace(s)
}
