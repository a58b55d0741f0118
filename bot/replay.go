package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
// replay within the timestamp window into a duplicate.
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
	if ttl < time.Second {
		ttl = time.Second
	}
	sum := sha256.Sum256(body)
	key := "replay|" + platform + "|" + sig
	first, err := g.Store.FirstSeen(ctx, key+"|"+hex.EncodeToString(sum[:16]), ttl)
	if err != nil {
		return fmt.Errorf("replay check: %w", err)
	}
	if !first {
		return fmt.Errorf("%s: %w", platform, ErrReplay)
	}
	first, err = g.Store.FirstSeen(ctx, key, ttl)
	if err != nil {
		return fmt.Errorf("replay check: %w", err)
	}
	if !first {
		return fmt.Errorf("%s: signature already used with another body: %w", platform, ErrBadSignature)
	}
	return nil
}
