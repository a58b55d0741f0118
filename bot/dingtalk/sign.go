package dingtalk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"time"
)

// DefaultWindow is how far a robot request's timestamp may be from now:
// "timestamp 与系统当前时间戳如果相差1小时以上，则认为是非法的请求" (PROTOCOLS §4.1).
const DefaultWindow = time.Hour

// sign returns Base64(HmacSHA256(key=secret, timestamp+"\n"+secret)), the
// signature both the robot callback (§4.1) and the custom robot (§5) use.
// The callback header carries it as is; the webhook URL-encodes it.
func sign(timestamp string, secret Secret) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp))
	m.Write([]byte{'\n'})
	m.Write([]byte(secret))
	var sum [sha256.Size]byte
	return base64.StdEncoding.EncodeToString(m.Sum(sum[:0]))
}

// Verify checks the timestamp and sign headers of a robot HTTP-mode
// request: timestamp (milliseconds, used as received) within window of now,
// and sign equal, in constant time, to the HmacSHA256 of
// timestamp+"\n"+appSecret. It returns an error wrapping ErrExpired or
// ErrBadSignature.
func Verify(appSecret Secret, timestamp, signature string, now time.Time, window time.Duration) error {
	if timestamp == "" || signature == "" {
		return fmt.Errorf("verify: missing timestamp or sign header: %w", ErrBadSignature)
	}
	ms, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil || ms <= 0 {
		return fmt.Errorf("verify: timestamp not a number of milliseconds: %w", ErrBadSignature)
	}
	if d := now.Sub(time.UnixMilli(ms)); d > window || d < -window {
		return fmt.Errorf("verify: timestamp %s off by %v: %w", timestamp, d.Round(time.Second), ErrExpired)
	}
	if !hmac.Equal([]byte(sign(timestamp, appSecret)), []byte(signature)) {
		return fmt.Errorf("verify: %w", ErrBadSignature)
	}
	return nil
}
