package wecomtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

var testTime = time.Unix(1700000000, 0)

// The fake's own crypto against the published vectors (PROTOCOLS §7.1,
// §7.2), so it is an independent peer of package wecom.
func TestVectors(t *testing.T) {
	c := Crypto{Token: "QDG6eK", EncodingAESKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", ReceiveID: "wx5823bf96d3bd56c7"}
	echo := "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
	if got := Signature(c.Token, "1409659589", "263014780", echo); got != "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3" {
		t.Errorf("V1 signature %s", got)
	}
	if msg, rid, err := c.Decrypt(echo); err != nil || string(msg) != "1616140317555161061" || rid != c.ReceiveID {
		t.Errorf("V1 decrypt %q %q %v", msg, rid, err)
	}
	const v3 = "<xml><ToUserName><![CDATA[mycreate]]></ToUserName><FromUserName><![CDATA[wx5823bf96d3bd56c7]]></FromUserName><CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content></xml>"
	enc, err := c.Encrypt([]byte("0123456789abcdef"), []byte(v3))
	const v3Enc = "sKqRbbiSUnDhFHOvPjtUMUfes4/2uKY1g9DFmYoQAgeG2lGZONATyKWRDvzuxzQiQdIha6gkfdfKPf+dWPq89c8dFM29NV2Dcenu3P4StHpPh3tJx8AQoZsK6m19Bm5KeqGAgP7QPvJw7kTS0KZTeoMvKNrQFcNXV9XtcJEfo+8T955q4mm3bFkRylRmigVZ6s35VNAL/DDWjTCA+4+aPGLYz0GEGzJUwarw0YS+bgN1SNnGDXdMWPBZEx9hQmVV9VxcCl/krOM0d+3UxNooujbT/4o7g5tmGTPOS/LAwko8lEXNqimYLmLiu5LJ6cMrTOUtiR342qpmtrqS6C/MtOktxDu4/Pch+lVtAMMHlamPyjtgLvfoTBpL3PCgCopB"
	if err != nil || enc != v3Enc {
		t.Errorf("V3 encrypt %s %v", enc, err)
	}
	if got := Signature(c.Token, "1409659813", "1372623149", enc); got != "fd6903c7056304d70ccd43f9c2d048ae661c2171" {
		t.Errorf("V3 signature %s", got)
	}
	c.ReceiveID = ""
	enc, _ = c.Encrypt([]byte("0123456789abcdef"), []byte(`{"msgid":"m1","msgtype":"text","text":{"content":"hi"}}`))
	if enc != "sKqRbbiSUnDhFHOvPjtUMSsAWzLzYfCxw16HpJ2WLfCy9mfGcwQvqtk7zxUj9cI4NB5jEs03Nrqih16CobfTWJjPWrGemYv+RJ88ROxfpuyA9fWQ6nvsPqMrfG0hoZHo" {
		t.Errorf("V5 encrypt %s", enc)
	}
}

// TestDeliverRetries: WeCom resends the same bytes after a non-200.
func TestDeliverRetries(t *testing.T) {
	var n atomic.Int32
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 64)
		k, _ := r.Body.Read(b)
		bodies = append(bodies, string(b[:k]))
		if n.Add(1) < 3 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	c := Crypto{Token: "t", EncodingAESKey: NewEncodingAESKey()}
	cb, err := c.EncryptedJSONCallback(srv.URL, testTime, "n", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	status, _, attempts, err := cb.Deliver(context.Background(), srv.Client())
	if err != nil || status != 200 || attempts != 3 {
		t.Fatalf("Deliver = %d, %d attempts, %v", status, attempts, err)
	}
	if bodies[0] != bodies[1] || bodies[1] != bodies[2] {
		t.Error("retries differ from the first attempt")
	}
}
