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
	"slices"
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
	Nonce   [6]byte
}

// ID is the nonce in hex: the token's single-use key and the CardAction ID.
func (t Token) ID() string { return hex.EncodeToString(t.Nonce[:]) }

// A digest carries two links per task, so every byte of a token counts
// many times over (a 32-task digest is one message without links):
//   - the MAC keeps 96 bits of the HMAC-SHA256: a forgery is one online
//     guess per request, 2^-96 each;
//   - the nonce is 48 random bits, unique among the links of a week;
//   - the chat is the first 4 bytes of SHA-256 of its name, resolved
//     against the configured chats (two names that collide are refused
//     at NewSigner);
//   - the verb and the usual tables are one byte each.
const (
	macLen  = 12
	chatLen = 4
	version = 2
)

// verbs and tables are the one-byte codes of a token; code 0 of a table is
// followed by its name.
var (
	verbs  = []string{"", "done", "extend", "detail", "approve", "return", "approve_ext", "reject_ext"}
	tables = []string{"", "key_tasks", "people_projects", "nantong_2019", "measures_2019"}
)

// A Signer signs and verifies tokens with one key for a set of chats.
type Signer struct {
	key   []byte
	now   func() time.Time
	chats map[[chatLen]byte]string
}

// NewSigner returns a Signer with key (at least 32 bytes) for links sent to
// chats (the configured chat names). now is the clock; nil is time.Now.
func NewSigner(key []byte, chats []string, now func() time.Time) (*Signer, error) {
	if len(key) < 32 {
		return nil, fmt.Errorf("linkpage: key of %d bytes, want at least 32", len(key))
	}
	if now == nil {
		now = time.Now
	}
	s := &Signer{key: append([]byte(nil), key...), now: now, chats: map[[chatLen]byte]string{}}
	for _, c := range chats {
		h := chatHash(c)
		if other, ok := s.chats[h]; ok && other != c {
			return nil, fmt.Errorf("linkpage: chats %q and %q share a link code; rename one", other, c)
		}
		s.chats[h] = c
	}
	return s, nil
}

func chatHash(name string) [chatLen]byte {
	sum := sha256.Sum256([]byte(name))
	return [chatLen]byte(sum[:chatLen])
}

// Sign returns t as a URL-safe string, with a fresh nonce when t has none.
func (s *Signer) Sign(t Token) (string, error) {
	if t.Nonce == [6]byte{} {
		if _, err := rand.Read(t.Nonce[:]); err != nil {
			return "", fmt.Errorf("linkpage: nonce: %w", err)
		}
	}
	v := slices.Index(verbs, t.Verb)
	if v <= 0 || len(t.Table) > 255 || t.No <= 0 || t.No > 65535 || s.chats[chatHash(t.Chat)] != t.Chat {
		return "", fmt.Errorf("linkpage: token %s#%d %s for %q out of range", t.Table, t.No, t.Verb, t.Chat)
	}
	b := []byte{version}
	b = binary.BigEndian.AppendUint32(b, uint32(t.Expires.Unix()))
	b = append(b, t.Nonce[:]...)
	b = binary.BigEndian.AppendUint16(b, uint16(t.No))
	b = append(b, byte(v))
	if tc := slices.Index(tables, t.Table); tc > 0 {
		b = append(b, byte(tc))
	} else {
		b = append(b, 0, byte(len(t.Table)))
		b = append(b, t.Table...)
	}
	h := chatHash(t.Chat)
	b = append(b, h[:]...)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(b) + "." + enc.EncodeToString(s.mac(b)), nil
}

func (s *Signer) mac(b []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write(b)
	return m.Sum(nil)[:macLen]
}

// Verify reads a signed token: ErrForged when the signature does not hold
// (any changed byte) or names no configured chat, ErrExpired when its time
// has passed.
func (s *Signer) Verify(str string) (Token, error) {
	p, sig, ok := strings.Cut(str, ".")
	enc := base64.RawURLEncoding.Strict()
	b, err1 := enc.DecodeString(p)
	mac, err2 := enc.DecodeString(sig)
	if !ok || err1 != nil || err2 != nil || !hmac.Equal(mac, s.mac(b)) {
		return Token{}, ErrForged
	}
	// Signed by us, so well-formed unless the format changed.
	const fixed = 1 + 4 + 6 + 2 + 1 + 1
	if len(b) < fixed+chatLen || b[0] != version || int(b[13]) >= len(verbs) || b[13] == 0 {
		return Token{}, ErrForged
	}
	var t Token
	t.Expires = time.Unix(int64(binary.BigEndian.Uint32(b[1:5])), 0)
	copy(t.Nonce[:], b[5:11])
	t.No = int(binary.BigEndian.Uint16(b[11:13]))
	t.Verb = verbs[b[13]]
	rest := b[14:]
	switch tc := int(rest[0]); {
	case tc > 0 && tc < len(tables):
		t.Table, rest = tables[tc], rest[1:]
	case tc == 0 && len(rest) >= 2 && len(rest) >= 2+int(rest[1]):
		t.Table, rest = string(rest[2:2+int(rest[1])]), rest[2+int(rest[1]):]
	default:
		return Token{}, ErrForged
	}
	if len(rest) != chatLen {
		return Token{}, ErrForged
	}
	chat, ok := s.chats[[chatLen]byte(rest)]
	if !ok {
		return Token{}, ErrForged // a chat no longer configured
	}
	t.Chat = chat
	if !s.now().Before(t.Expires) {
		return t, ErrExpired
	}
	return t, nil
}
