package wecom

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/silenceper/wechat/v2/util"
)

// Errors of the inbound path; the callbacks map them to HTTP statuses.
var (
	errSignature = errors.New("wecom: msg_signature mismatch")
	errStale     = errors.New("wecom: timestamp outside the allowed window")
	errDecrypt   = errors.New("wecom: cannot decrypt")
	errReceiveID = errors.New("wecom: receive id is not ours")
)

// decodeAESKey turns the 43-character EncodingAESKey into the AES-256 key:
// AESKey = Base64_Decode(EncodingAESKey + "=") (PROTOCOLS §1.3).
func decodeAESKey(s string) ([]byte, error) {
	if len(s) != 43 {
		return nil, fmt.Errorf("wecom: EncodingAESKey must be 43 characters, not %d", len(s))
	}
	k, err := base64.StdEncoding.DecodeString(s + "=")
	if err != nil || len(k) != 32 {
		return nil, errors.New("wecom: EncodingAESKey is not base64 of 32 bytes")
	}
	return k, nil
}

// signatureOK checks msg_signature = SHA1(sort(token, timestamp, nonce,
// encrypt)) in constant time.
func signatureOK(token, timestamp, nonce, encrypt, got string) bool {
	want := util.Signature(token, timestamp, nonce, encrypt)
	return subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// decryptStrict opens a WeCom ciphertext (base64 text) with the rules of
// PROTOCOLS §1.3, stricter than the official samples and silenceper: the
// length a nonzero multiple of 32, every pad byte equal to the pad length
// in 1..32, msg_len within the plaintext, and an empty receive id allowed
// (the AI bot's). It returns the message and the receive id.
func decryptStrict(block cipher.Block, iv []byte, encrypt string) (msg, receiveID []byte, err error) {
	ct, err := base64.StdEncoding.DecodeString(encrypt)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: base64: %w", errDecrypt, err)
	}
	if len(ct) == 0 || len(ct)%32 != 0 {
		return nil, nil, fmt.Errorf("%w: ciphertext length %d is not a multiple of 32", errDecrypt, len(ct))
	}
	pt := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(pt, ct)
	pad := int(pt[len(pt)-1])
	if pad < 1 || pad > 32 {
		return nil, nil, fmt.Errorf("%w: pad length %d", errDecrypt, pad)
	}
	for _, b := range pt[len(pt)-pad:] {
		if int(b) != pad {
			return nil, nil, fmt.Errorf("%w: bad padding", errDecrypt)
		}
	}
	pt = pt[:len(pt)-pad]
	if len(pt) < 20 {
		return nil, nil, fmt.Errorf("%w: plaintext of %d bytes is too short", errDecrypt, len(pt))
	}
	n := uint64(binary.BigEndian.Uint32(pt[16:20]))
	if n > uint64(len(pt)-20) {
		return nil, nil, fmt.Errorf("%w: msg_len %d exceeds plaintext", errDecrypt, n)
	}
	return pt[20 : 20+n], pt[20+n:], nil
}

// sealer encrypts and signs replies with the callback's token and key.
type sealer struct {
	token     string
	aesKey    string // the EncodingAESKey, as util.EncryptMsg wants it
	receiveID string
	rand      io.Reader
}

// seal encrypts msg per §1.3 with 16 fresh random bytes (util.EncryptMsg
// with nil random would use zeros) and signs it with timestamp and nonce.
func (s sealer) seal(msg []byte, timestamp int64, nonce string) (encrypt, signature string, err error) {
	random := make([]byte, 16)
	if _, err := io.ReadFull(s.rand, random); err != nil {
		return "", "", fmt.Errorf("wecom: random for reply: %w", err)
	}
	enc, err := util.EncryptMsg(random, msg, s.receiveID, s.aesKey)
	if err != nil {
		return "", "", fmt.Errorf("wecom: encrypt reply: %w", err)
	}
	encrypt = string(enc)
	return encrypt, util.Signature(s.token, strconv.FormatInt(timestamp, 10), nonce, encrypt), nil
}
