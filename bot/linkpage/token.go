// Package linkpage is the one-tap route of chats that can show no
// buttons (a WeCom 消息推送 or DingTalk custom-robot webhook): each task of
// a reminder gets links to duban's own short confirmation page, signed
// (HMAC-SHA256), single-use, expiring and bound to (task, chat, action).
// The page shows the task and the action, asks for the reporter's name
// and hands the confirmation to the same bot.CardActor as the platforms'
// card taps. Nothing else is reachable from the page.
package linkpage

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors of Verify, which the page tells apart.
var (
	ErrForged  = errors.New("linkpage: token forged or damaged")
	ErrExpired = errors.New("linkpage: token expired")
	ErrUsed    = errors.New("linkpage: token already used")
)

// A Token is what one link may do: one verb on one task, for the chat the
// link was sent to, until Expires. Nonce makes it single-use.
type Token struct {
	Table   string
	No      int
	Chat    string // the configured chat name the link was sent to
	Verb    string
	Expires time.Time
	Nonce   [8]byte
}

// ID is the nonce in hex: the token's single-use key and the CardAction ID.
func (t Token) ID() string { return hex.EncodeToString(t.Nonce[:]) }

// macLen is how much of the HMAC-SHA256 a link carries: 128 bits, far past
// guessing, and 22 characters instead of 43 in every link of a digest.
const macLen = 16

const version = 1

// A Signer signs and verifies tokens with one key.
type Signer struct {
	key []byte
	now func() time.Time
}

// NewSigner returns a Signer with key (at least 32 bytes). now is the
// clock; nil is time.Now.
func NewSigner(key []byte, now func() time.Time) (*Signer, error) {
	if len(key) < 32 {
		return nil, fmt.Errorf("linkpage: key of %d bytes, want at least 32", len(key))
	}
	if now == nil {
		now = time.Now
	}
	return &Signer{key: append([]byte(nil), key...), now: now}, nil
}

// Sign returns t as a URL-safe string, with a fresh nonce when t has none.
func (s *Signer) Sign(t Token) (string, error) {
	if t.Nonce == [8]byte{} {
		if _, err := rand.Read(t.Nonce[:]); err != nil {
			return "", fmt.Errorf("linkpage: nonce: %w", err)
		}
	}
	if len(t.Table) > 255 || len(t.Verb) > 255 || len(t.Chat) > 255 || t.No <= 0 || t.No > 65535 {
		return "", fmt.Errorf("linkpage: token %s#%d %s for %q out of range", t.Table, t.No, t.Verb, t.Chat)
	}
	b := []byte{version}
	b = binary.BigEndian.AppendUint32(b, uint32(t.Expires.Unix()))
	b = append(b, t.Nonce[:]...)
	b = binary.BigEndian.AppendUint16(b, uint16(t.No))
	for _, f := range []string{t.Table, t.Verb, t.Chat} {
		b = append(b, byte(len(f)))
		b = append(b, f...)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(b) + "." + enc.EncodeToString(s.mac(b)), nil
}

func (s *Signer) mac(b []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write(b)
	return m.Sum(nil)[:macLen]
}

// Verify reads a signed token: ErrForged when the signature does not hold
// (any changed byte), ErrExpired when its time has passed.
func (s *Signer) Verify(str string) (Token, error) {
	p, sig, ok := strings.Cut(str, ".")
	enc := base64.RawURLEncoding
	b, err1 := enc.DecodeString(p)
	mac, err2 := enc.DecodeString(sig)
	if !ok || err1 != nil || err2 != nil || !hmac.Equal(mac, s.mac(b)) {
		return Token{}, ErrForged
	}
	// Signed by us, so well-formed unless the format changed.
	if len(b) < 1+4+8+2 || b[0] != version {
		return Token{}, ErrForged
	}
	var t Token
	t.Expires = time.Unix(int64(binary.BigEndian.Uint32(b[1:5])), 0)
	copy(t.Nonce[:], b[5:13])
	t.No = int(binary.BigEndian.Uint16(b[13:15]))
	rest := b[15:]
	var fields [3]string
	for i := range fields {
		if len(rest) < 1 || len(rest) < 1+int(rest[0]) {
			return Token{}, ErrForged
		}
		fields[i], rest = string(rest[1:1+int(rest[0])]), rest[1+int(rest[0]):]
	}
	t.Table, t.Verb, t.Chat = fields[0], fields[1], fields[2]
	if !s.now().Before(t.Expires) {
		return t, ErrExpired
	}
	return t, nil
}
