package bot

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"

	"duban/store"
)

// A ReplayGuard remembers the signatures of accepted callbacks in the
// shared store for as long as each stays valid, so a captured request is
// answered once, on every replica.
//
// DingTalk's robot signature covers only the timestamp and stays valid
// for an hour either side of it: without a guard, a request replayed after
// message-ID dedup forgot it is answered again, and one valid (timestamp,
// sign) pair with a made-up body passes as any message at all. WeCom's
// msg_signature covers the ciphertext, so there the guard only turns a
// replay within the timestamp window into a duplicate (CheckSealed).
//
// Every accepted request leaves its keys in the store until they expire,
// so they are kept short: a 20-byte digest of the signature rather than
// the signature itself (a DingTalk sign is 44 bytes, a WeCom triple about
// 70), which at thousands of callbacks a second is most of the store's
// memory.
type ReplayGuard struct {
	// Store keeps the signatures; replicas share it. Required.
	Store store.Deduper
}

// Check records that the request signed sig with body was accepted, for
// ttl (until the signature expires). It returns nil the first time, an
// error matching ErrReplay when the same signature came with the same
// body before (a platform retry or a replay: answer it as a duplicate),
// and one matching ErrBadSignature when the signature came before with
// another body (a forgery). A store failure is returned as is; callers
// answer anyway (a question twice beats none), and progress reports stay
// safe because Reports needs the store to record.
//
// The body's hash is recorded before the signature, so two copies of one
// request racing each other make one answer and one duplicate, and two
// different bodies racing make one answer and one forgery.
func (g *ReplayGuard) Check(ctx context.Context, platform, sig string, body []byte, ttl time.Duration) error {
	if g == nil || g.Store == nil {
		return nil
	}
	key := replayKey(platform, sig)
	if first, err := g.first(ctx, key+"|"+digest(body), ttl); err != nil || !first {
		return replayErr(platform, err, ErrReplay)
	}
	if first, err := g.first(ctx, key, ttl); err != nil || !first {
		return replayErr(platform, err, ErrBadSignature)
	}
	return nil
}

// CheckSealed is Check for a signature that covers the body, as WeCom's
// msg_signature covers the ciphertext: a signature that verified cannot
// come with another body, so one key per request is enough. It returns
// nil the first time and an error matching ErrReplay after.
func (g *ReplayGuard) CheckSealed(ctx context.Context, platform, sig string, ttl time.Duration) error {
	if g == nil || g.Store == nil {
		return nil
	}
	if first, err := g.first(ctx, replayKey(platform, sig), ttl); err != nil || !first {
		return replayErr(platform, err, ErrReplay)
	}
	return nil
}

func (g *ReplayGuard) first(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	return g.Store.FirstSeen(ctx, key, max(ttl, time.Second))
}

// replayErr is the error for a key seen before (seen) or a store failure.
func replayErr(platform string, storeErr, seen error) error {
	switch {
	case storeErr != nil:
		return fmt.Errorf("replay check: %w", storeErr)
	case seen == ErrBadSignature:
		return fmt.Errorf("%s: signature already used with another body: %w", platform, seen)
	}
	return fmt.Errorf("%s: %w", platform, seen)
}

func replayKey(platform, sig string) string { return "replay|" + platform + "|" + digest([]byte(sig)) }

// digest is 15 bytes of b's SHA-256 in 20 URL-safe characters: 120 bits,
// far beyond any number of requests within a signature's lifetime.
func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(sum[:15])
}
