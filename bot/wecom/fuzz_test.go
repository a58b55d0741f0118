package wecom

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/silenceper/wechat/v2/util"

	"duban/bot"
	"duban/bot/wecom/wecomtest"
	"duban/handlers"
)

func echoHandler(_ context.Context, m *bot.Message) (handlers.Reply, error) {
	return handlers.Reply{Head: m.Text}, nil
}

// FuzzDecrypt drives the decrypt-and-parse path two ways. encrypt is an
// arbitrary ciphertext: decryptStrict must never panic and, whenever it
// accepts, silenceper's decryptor must agree on message and receive id.
// plain is an arbitrary plaintext, encrypted and signed correctly and
// posted to both callbacks: they must answer 200, 400 or 403, never panic.
func FuzzDecrypt(f *testing.F) {
	f.Add(v2Encrypt, []byte(v2Plain))
	f.Add(v5Encrypt, []byte(v5Plain))
	f.Add("", []byte(""))
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", []byte("<xml><MsgType>text</MsgType><Content>x</Content><FromUserName>u</FromUserName></xml>"))
	f.Add("sKqRbbiSUnDhFHOvPjtUMQ==", []byte(`{"msgtype":"text","from":{"userid":"u"},"text":{"content":"@a b"},"chattype":"group"}`))
	f.Add("", []byte(`{"msgtype":"mixed","from":{"userid":"u"},"mixed":{"msg_item":[{"msgtype":"text","text":{"content":"q"}}]}}`))

	in := vectorInbound(f, vReceiveID)
	key := in.key
	app, err := NewCallback(CallbackConfig{CorpID: vReceiveID, Token: vToken, EncodingAESKey: vAESKey,
		MaxSkew: -1, Logger: quiet}, echoHandler)
	if err != nil {
		f.Fatal(err)
	}
	aibot, err := NewAIBotCallback(AIBotConfig{Token: vToken, EncodingAESKey: vAESKey, MaxSkew: -1, Logger: quiet}, echoHandler)
	if err != nil {
		f.Fatal(err)
	}
	appCrypto := wecomtest.Crypto{Token: vToken, EncodingAESKey: vAESKey, ReceiveID: vReceiveID}
	botCrypto := wecomtest.Crypto{Token: vToken, EncodingAESKey: vAESKey}
	random := []byte("0123456789abcdef")

	f.Fuzz(func(t *testing.T, encrypt string, plain []byte) {
		msg, rid, err := decryptStrict(in.block, key[:16], encrypt)
		if err == nil {
			if len(rid) > 0 { // silenceper cannot open an empty receive id
				_, m2, rid2, err2 := util.AESDecryptMsg(mustB64(encrypt), key)
				if err2 != nil || !bytes.Equal(m2, msg) || !bytes.Equal(rid2, rid) {
					t.Fatalf("silenceper disagrees: %q %q %v vs %q %q", m2, rid2, err2, msg, rid)
				}
			}
			var am appMessage
			_ = xml.Unmarshal(msg, &am)
			var bm aibotMessage
			if json.Unmarshal(msg, &bm) == nil {
				_ = stripMentions(bm.question(), "")
			}
		}
		for _, tc := range []struct {
			h    http.Handler
			body func(enc string) []byte
			c    wecomtest.Crypto
		}{
			{app, func(enc string) []byte { return []byte("<xml><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>") }, appCrypto},
			{aibot, func(enc string) []byte { b, _ := json.Marshal(map[string]string{"encrypt": enc}); return b }, botCrypto},
		} {
			enc, err := tc.c.Encrypt(random, plain)
			if err != nil {
				t.Fatal(err)
			}
			cb := tc.c.Signed("http://wecom.test/cb", testNow, "n", enc, tc.body(enc))
			req := httptest.NewRequest(cb.Method, cb.URL, bytes.NewReader(cb.Body))
			w := httptest.NewRecorder()
			tc.h.ServeHTTP(w, req)
			if c := w.Code; c != 200 && c != 400 && c != 403 {
				t.Fatalf("status %d for plaintext %q", c, plain)
			}
		}
	})
}

func mustB64(s string) []byte {
	b, _ := base64.StdEncoding.DecodeString(s)
	return b
}
