package wecom

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"duban/bot/wecom/wecomtest"
)

// benchInbound measures one callback end to end: signature check, decrypt,
// parse, handler, render, encrypt and sign the passive reply.
func benchInbound(b *testing.B, h http.Handler, cb *wecomtest.Callback) {
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(cb.Method, cb.URL, bytes.NewReader(cb.Body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 || w.Body.Len() == 0 {
			b.Fatalf("status %d, body %q", w.Code, w.Body)
		}
	}
}

func BenchmarkInboundApp(b *testing.B) {
	c := wecomtest.Crypto{Token: vToken, EncodingAESKey: vAESKey, ReceiveID: vReceiveID}
	h, err := NewCallback(CallbackConfig{CorpID: vReceiveID, Token: vToken, EncodingAESKey: vAESKey,
		Now: fixedNow, Logger: quiet}, echoHandler)
	if err != nil {
		b.Fatal(err)
	}
	cb, err := c.EncryptedCallback("http://wecom.test/app", testNow, "n", 1,
		wecomtest.TextMessage(vReceiveID, "zhangsan", "76号任务谁牵头", "4561255354251345929", 1, testNow))
	if err != nil {
		b.Fatal(err)
	}
	benchInbound(b, h, cb)
}

func BenchmarkInboundAIBot(b *testing.B) {
	c := wecomtest.Crypto{Token: vToken, EncodingAESKey: vAESKey}
	h, err := NewAIBotCallback(AIBotConfig{Token: vToken, EncodingAESKey: vAESKey, Now: fixedNow, Logger: quiet}, echoHandler)
	if err != nil {
		b.Fatal(err)
	}
	cb, err := c.EncryptedJSONCallback("http://wecom.test/aibot", testNow, "n",
		wecomtest.AIBotText("m1", "chat1", "zhangsan", "@督办 76号任务谁牵头", "http://wecom.test/r"))
	if err != nil {
		b.Fatal(err)
	}
	benchInbound(b, h, cb)
}
