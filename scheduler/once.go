package scheduler

import (
	"context"
	"fmt"

	"duban/handlers"
	"duban/store"
)

// sendOnce delivers the reply made by reply to chat c as the one ledger
// key key, unless the ledger holds it already (o.Skipped): under the key's
// own lock, claim, push (paced, retried), confirm; or release on failure so
// a later try sends it. A long reply goes out as the sender splits it, each
// message taking its own send slot. what names the delivery in errors
// ("urge to \"住建局群\""). 催办 and leader summaries go this way; the
// reminders' digests have their own claims per task (deliver.go).
func (s *Scheduler) sendOnce(ctx context.Context, c int, key, what string, reply func() handlers.Reply) (o Report, err error) {
	lock := LockName + ":" + key
	token, err := s.st.Lock(ctx, lock, s.cfg.LockTTL)
	if err != nil {
		return o, fmt.Errorf("scheduler: %s: lock: %w", what, err)
	}
	defer s.unlock(ctx, lock, token)
	held := newClaimSet(s.st, store.Owner{Lock: lock, Token: token}, s.cfg.ClaimTTL, s.cfg.Now)
	ok, err := s.st.Claim(ctx, key, held.owner, s.cfg.ClaimTTL)
	if err != nil {
		return o, fmt.Errorf("scheduler: %s: ledger: %w", what, err)
	}
	if !ok {
		o.Skipped++
		return o, nil
	}
	held.add(key)
	stop := held.keepAlive(ctx)
	defer stop()
	if err := s.deliverParts(ctx, c, []part{s.newPart(c, []string{key}, reply())}, held, &o); err != nil {
		return o, fmt.Errorf("scheduler: %s: %w", what, err)
	}
	return o, nil
}
