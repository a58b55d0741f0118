// Package wecomtest is a loopback fake of WeCom for tests: it encrypts and
// signs callbacks the way WeCom does, opens the replies, and serves the
// outbound APIs (gettoken, webhook/send, message/send, appchat/send, the AI
// bot's response_url) checking their wire format, with injectable
// failures. It implements the platform side on its own, from the standard
// library (PROTOCOLS §1.2–§1.3), and never imports package wecom, so a bug
// there cannot be mirrored here.
package wecomtest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Crypto is one callback's credentials: the token, the EncodingAESKey and
// the receive id (the corp id for an app, "" for an AI bot).
type Crypto struct {
	Token          string
	EncodingAESKey string
	ReceiveID      string
}

// Signature is msg_signature: hex SHA1 of the four strings sorted and
// concatenated.
func Signature(token, timestamp, nonce, encrypt string) string {
	p := []string{token, timestamp, nonce, encrypt}
	sort.Strings(p)
	sum := sha1.Sum([]byte(strings.Join(p, "")))
	return hex.EncodeToString(sum[:])
}

func (c Crypto) key() ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(c.EncodingAESKey + "=")
	if err != nil || len(c.EncodingAESKey) != 43 || len(k) != 32 {
		return nil, errors.New("wecomtest: bad EncodingAESKey")
	}
	return k, nil
}

// Encrypt returns base64(AES-256-CBC(random16 || len32be || msg ||
// receiveid || PKCS#7 to 32)). random nil draws 16 random bytes.
func (c Crypto) Encrypt(random, msg []byte) (string, error) {
	key, err := c.key()
	if err != nil {
		return "", err
	}
	if random == nil {
		random = make([]byte, 16)
		rand.Read(random)
	}
	if len(random) != 16 {
		return "", errors.New("wecomtest: random must be 16 bytes")
	}
	pt := append([]byte{}, random...)
	pt = binary.BigEndian.AppendUint32(pt, uint32(len(msg)))
	pt = append(pt, msg...)
	pt = append(pt, c.ReceiveID...)
	pad := 32 - len(pt)%32
	for range pad {
		pt = append(pt, byte(pad))
	}
	return encryptRaw(key, pt)
}

// encryptRaw encrypts an already padded plaintext; tests use it to build
// ciphertexts with wrong padding or lengths.
func encryptRaw(key, pt []byte) (string, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	if len(pt)%aes.BlockSize != 0 {
		return "", errors.New("wecomtest: plaintext not block aligned")
	}
	ct := make([]byte, len(pt))
	cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(ct, pt)
	return base64.StdEncoding.EncodeToString(ct), nil
}

// EncryptPadded encrypts a caller-built plaintext as is (no length
// prefix, no padding added): the tool for malformed-ciphertext tests.
func (c Crypto) EncryptPadded(plaintext []byte) (string, error) {
	key, err := c.key()
	if err != nil {
		return "", err
	}
	return encryptRaw(key, plaintext)
}

// Decrypt opens a ciphertext and returns the message and receive id.
func (c Crypto) Decrypt(encrypt string) (msg []byte, receiveID string, err error) {
	key, err := c.key()
	if err != nil {
		return nil, "", err
	}
	ct, err := base64.StdEncoding.DecodeString(encrypt)
	if err != nil || len(ct) == 0 || len(ct)%32 != 0 {
		return nil, "", fmt.Errorf("wecomtest: bad ciphertext (%d bytes, %v)", len(ct), err)
	}
	block, _ := aes.NewCipher(key)
	pt := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, key[:16]).CryptBlocks(pt, ct)
	pad := int(pt[len(pt)-1])
	if pad < 1 || pad > 32 {
		return nil, "", fmt.Errorf("wecomtest: bad pad %d", pad)
	}
	for _, b := range pt[len(pt)-pad:] {
		if int(b) != pad {
			return nil, "", errors.New("wecomtest: bad padding bytes")
		}
	}
	pt = pt[:len(pt)-pad]
	if len(pt) < 20 {
		return nil, "", errors.New("wecomtest: plaintext too short")
	}
	n := int(binary.BigEndian.Uint32(pt[16:20]))
	if n > len(pt)-20 {
		return nil, "", errors.New("wecomtest: msg_len too large")
	}
	return pt[20 : 20+n], string(pt[20+n:]), nil
}
