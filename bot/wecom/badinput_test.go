package wecom

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"duban/bot/wecom/wecomtest"
)

// platform builds valid requests for one callback kind so the bad-input
// table can spoil them one way at a time.
type platform struct {
	name   string
	crypto wecomtest.Crypto
	url    string
	plain  []byte // a valid question
	// wrap puts a ciphertext in this platform's body.
	wrap func(enc string) []byte
	// build encrypts and signs plain.
	build func(c wecomtest.Crypto, ts time.Time, plain []byte) *wecomtest.Callback
}

func platforms(t *testing.T, fake *wecomtest.Server, rec *recorder) []platform {
	_, appURL := appCallback(t, fake, rec, nil)
	_, botURL := aibotCallback(t, fake, rec, nil)
	return []platform{{
		name: "app", crypto: fake.App, url: appURL,
		plain: wecomtest.TextMessage(fake.Opts.CorpID, "u", "76号任务谁牵头", "1", 1, testNow),
		wrap: func(enc string) []byte {
			return []byte("<xml><ToUserName><![CDATA[x]]></ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>")
		},
		build: func(c wecomtest.Crypto, ts time.Time, plain []byte) *wecomtest.Callback {
			cb, err := c.EncryptedCallback(appURL, ts, "nonce", 1, plain)
			if err != nil {
				t.Fatal(err)
			}
			return cb
		},
	}, {
		name: "aibot", crypto: fake.AIBot, url: botURL,
		plain: wecomtest.AIBotText("m1", "chat1", "u", "@督办 76号任务谁牵头", fake.ResponseURL()),
		wrap:  func(enc string) []byte { return []byte(`{"encrypt":"` + enc + `"}`) },
		build: func(c wecomtest.Crypto, ts time.Time, plain []byte) *wecomtest.Callback {
			cb, err := c.EncryptedJSONCallback(botURL, ts, "nonce", plain)
			if err != nil {
				t.Fatal(err)
			}
			return cb
		},
	}}
}

func TestBadInputRefused(t *testing.T) {
	fake := wecomtest.New(t, wecomtest.Options{})
	rec := &recorder{}
	for _, p := range platforms(t, fake, rec) {
		// signedRaw signs a hand-made plaintext, so only the inner layer is wrong.
		signedRaw := func(pt []byte) *wecomtest.Callback {
			enc, err := p.crypto.EncryptPadded(pt)
			if err != nil {
				t.Fatal(err)
			}
			return p.crypto.Signed(p.url, testNow, "nonce", enc, p.wrap(enc))
		}
		layout := func(msg []byte, rid string) []byte {
			b := binary.BigEndian.AppendUint32([]byte("0123456789abcdef"), uint32(len(msg)))
			return append(append(b, msg...), rid...)
		}
		withPad := func(b []byte, last byte, fill byte) []byte {
			n := 32 - len(b)%32
			b = append(b, bytes.Repeat([]byte{fill}, n-1)...)
			return append(b, last)
		}
		wrongID := p.crypto
		wrongID.ReceiveID = "wwsomeoneelse"
		malformedPlain := []byte("<xml><Content>unterminated")
		if p.name == "aibot" {
			malformedPlain = []byte(`{"msgid":"m","text":{`)
		}
		tests := []struct {
			name   string
			cb     func() *wecomtest.Callback
			status int
		}{
			{"wrong signature", func() *wecomtest.Callback {
				cb := p.build(p.crypto, testNow, p.plain)
				u, _ := url.Parse(cb.URL)
				q := u.Query()
				sig := []byte(q.Get("msg_signature"))
				sig[0] ^= 1
				q.Set("msg_signature", string(sig))
				cb.URL = p.url + "?" + q.Encode()
				return cb
			}, http.StatusUnauthorized},
			{"wrong token", func() *wecomtest.Callback {
				c := p.crypto
				c.Token = "not-the-token"
				return p.build(c, testNow, p.plain)
			}, http.StatusUnauthorized},
			{"missing signature", func() *wecomtest.Callback {
				cb := p.build(p.crypto, testNow, p.plain)
				cb.URL = strings.Replace(cb.URL, "msg_signature=", "x=", 1)
				return cb
			}, http.StatusBadRequest},
			{"stale timestamp", func() *wecomtest.Callback {
				return p.build(p.crypto, testNow.Add(-11*time.Minute), p.plain)
			}, http.StatusUnauthorized},
			{"future timestamp", func() *wecomtest.Callback {
				return p.build(p.crypto, testNow.Add(11*time.Minute), p.plain)
			}, http.StatusUnauthorized},
			{"wrong receive id", func() *wecomtest.Callback { return p.build(wrongID, testNow, p.plain) }, http.StatusForbidden},
			{"malformed envelope", func() *wecomtest.Callback {
				cb := p.build(p.crypto, testNow, p.plain)
				cb.Body = cb.Body[:len(cb.Body)/2]
				return cb
			}, http.StatusBadRequest},
			{"malformed message", func() *wecomtest.Callback { return p.build(p.crypto, testNow, malformedPlain) }, http.StatusBadRequest},
			{"truncated ciphertext", func() *wecomtest.Callback {
				cb := p.build(p.crypto, testNow, p.plain)
				enc := cb.Encrypt[:len(cb.Encrypt)-8] // signed as truncated: only decryption can catch it
				return p.crypto.Signed(p.url, testNow, "nonce", enc, p.wrap(enc))
			}, http.StatusBadRequest},
			{"bad pad value", func() *wecomtest.Callback { return signedRaw(withPad(layout(p.plain, p.crypto.ReceiveID), 0, 0)) }, http.StatusBadRequest},
			{"pad over 32", func() *wecomtest.Callback {
				b := layout(p.plain, p.crypto.ReceiveID)
				b = append(b, bytes.Repeat([]byte{40}, 32-len(b)%32+32)...)
				return signedRaw(b)
			}, http.StatusBadRequest},
			{"msg_len too large", func() *wecomtest.Callback {
				b := layout(p.plain, p.crypto.ReceiveID)
				binary.BigEndian.PutUint32(b[16:20], 1<<31)
				n := byte(32 - len(b)%32)
				return signedRaw(withPad(b, n, n))
			}, http.StatusBadRequest},
			{"huge body", func() *wecomtest.Callback {
				cb := p.build(p.crypto, testNow, p.plain)
				cb.Body = append(cb.Body, bytes.Repeat([]byte(" "), DefaultMaxBodyBytes)...)
				return cb
			}, http.StatusRequestEntityTooLarge},
			{"bad method", func() *wecomtest.Callback {
				cb := p.build(p.crypto, testNow, p.plain)
				cb.Method = http.MethodPut
				return cb
			}, http.StatusMethodNotAllowed},
			{"verify with wrong signature", func() *wecomtest.Callback {
				cb, _ := p.crypto.VerifyURL(p.url, testNow, "n", "echo")
				cb.URL = strings.Replace(cb.URL, "nonce=n", "nonce=m", 1)
				return cb
			}, http.StatusUnauthorized},
			{"verify with wrong receive id", func() *wecomtest.Callback {
				cb, _ := wrongID.VerifyURL(p.url, testNow, "n", "echo")
				return cb
			}, http.StatusForbidden},
		}
		tests = append(tests, struct {
			name   string
			cb     func() *wecomtest.Callback
			status int
		}{"inconsistent pad", func() *wecomtest.Callback {
			b := layout(p.plain, p.crypto.ReceiveID)
			n := byte(32 - len(b)%32)
			return signedRaw(withPad(b, n, n^1))
		}, http.StatusBadRequest})
		for _, tt := range tests {
			t.Run(p.name+"/"+tt.name, func(t *testing.T) {
				status, body := send(t, tt.cb())
				if status != tt.status {
					t.Errorf("status %d (%s), want %d", status, body, tt.status)
				}
			})
		}
	}
	if seen := rec.seen(); len(seen) != 0 {
		t.Errorf("handler called for refused input: %+v", seen)
	}
}
