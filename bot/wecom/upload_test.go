package wecom

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeRobot is a loopback group robot that speaks upload_media and file
// messages as path/91770 describes them: a multipart "media" part with a
// filename, a media_id back, and a file message that must name it.
type fakeRobot struct {
	*httptest.Server
	key string

	mu      sync.Mutex
	files   map[string][]byte // media_id → content
	names   map[string]string // media_id → filename
	posted  []string          // media_ids posted as file messages
	failing int               // errcode upload_media answers with; 0: none
}

func newFakeRobot(t *testing.T, key string) *fakeRobot {
	f := &fakeRobot{key: key, files: map[string][]byte{}, names: map[string]string{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeRobot) reply(w http.ResponseWriter, v any) { _ = json.NewEncoder(w).Encode(v) }

func (f *fakeRobot) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Query().Get("key") != f.key {
		f.reply(w, map[string]any{"errcode": 93000, "errmsg": "invalid webhook url"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.URL.Path {
	case "/cgi-bin/webhook/upload_media":
		if r.URL.Query().Get("type") != "file" {
			f.reply(w, map[string]any{"errcode": 40004, "errmsg": "invalid media type"})
			return
		}
		if f.failing != 0 {
			f.reply(w, map[string]any{"errcode": f.failing, "errmsg": "upload refused"})
			return
		}
		mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/form-data" {
			http.Error(w, "want multipart/form-data", http.StatusBadRequest)
			return
		}
		p, err := multipart.NewReader(r.Body, params["boundary"]).NextPart()
		if err != nil || p.FormName() != "media" || p.FileName() == "" {
			f.reply(w, map[string]any{"errcode": 40009, "errmsg": "no media part"})
			return
		}
		data, _ := io.ReadAll(p)
		id := "MEDIA" + string(rune('A'+len(f.files)))
		f.files[id], f.names[id] = data, p.FileName()
		f.reply(w, map[string]any{"errcode": 0, "errmsg": "ok", "type": "file", "media_id": id, "created_at": "1380000000"})
	case "/cgi-bin/webhook/send":
		var m struct {
			MsgType string `json:"msgtype"`
			File    struct {
				MediaID string `json:"media_id"`
			} `json:"file"`
		}
		if json.NewDecoder(r.Body).Decode(&m) != nil || m.MsgType != "file" {
			f.reply(w, map[string]any{"errcode": 40008, "errmsg": "invalid message type"})
			return
		}
		if _, ok := f.files[m.File.MediaID]; !ok {
			f.reply(w, map[string]any{"errcode": 40007, "errmsg": "invalid media_id"})
			return
		}
		f.posted = append(f.posted, m.File.MediaID)
		f.reply(w, map[string]any{"errcode": 0, "errmsg": "ok"})
	default:
		http.NotFound(w, r)
	}
}

func TestSendFile(t *testing.T) {
	f := newFakeRobot(t, "KEY1")
	w, err := NewWebhook(WebhookConfig{Key: "KEY1", BaseURL: f.URL})
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("xlsx"), 100)
	if err := w.SendFile(t.Context(), `督办通报2020-W35.xlsx`, data); err != nil {
		t.Fatalf("SendFile: %v", err)
	}
	if len(f.posted) != 1 {
		t.Fatalf("file messages posted = %v, want 1", f.posted)
	}
	id := f.posted[0]
	if !bytes.Equal(f.files[id], data) || f.names[id] != "督办通报2020-W35.xlsx" {
		t.Errorf("uploaded %q (%d bytes), want the workbook under its name", f.names[id], len(f.files[id]))
	}
}

func TestSendFileErrors(t *testing.T) {
	f := newFakeRobot(t, "KEY1")
	w, _ := NewWebhook(WebhookConfig{Key: "KEY1", BaseURL: f.URL})
	if err := w.SendFile(t.Context(), "tiny.xlsx", []byte("abc")); err == nil || !strings.Contains(err.Error(), "more than 5") {
		t.Errorf("a 3-byte file: err = %v, want the size limit named", err)
	}
	f.failing = 40058
	err := w.SendFile(t.Context(), "a.xlsx", bytes.Repeat([]byte("x"), 64))
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != 40058 || ae.Op != "webhook/upload_media" {
		t.Errorf("refused upload: err = %v, want an *APIError 40058 from upload_media", err)
	}
	if len(f.posted) != 0 {
		t.Errorf("a file message was posted after a failed upload: %v", f.posted)
	}
	bad, _ := NewWebhook(WebhookConfig{Key: "WRONG", BaseURL: f.URL})
	err = bad.SendFile(t.Context(), "a.xlsx", bytes.Repeat([]byte("x"), 64))
	if !errors.As(err, &ae) || ae.Code != 93000 || strings.Contains(err.Error(), "WRONG") {
		t.Errorf("wrong key: err = %v, want errcode 93000 with the key redacted", err)
	}
}
