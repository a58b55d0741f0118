package memstore

import (
	"context"
	"fmt"
	"time"
)

// Reserve implements store.Limiter with a sliding-window log: a key keeps
// the times of its last burst sends, and a send may go when the oldest of
// them is per old. Unlike a token bucket (which lets burst through at once
// and then more within the same minute), this never puts more than burst
// sends in any window of per, which is how the group robots count their
// 20 a minute; and it logs the moment of the send, not of a reservation
// made a minute ahead, so a late post cannot crowd a later window.
func (s *Store) Reserve(ctx context.Context, key string, burst int, per time.Duration) (time.Duration, error) {
	if err := s.checkOpen(ctx); err != nil {
		return 0, fmt.Errorf("memstore: reserve %q: %w", key, err)
	}
	if burst <= 0 || per <= 0 {
		return 0, fmt.Errorf("memstore: reserve %q: burst %d and per %v must be positive", key, burst, per)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	slots := s.buckets[key]
	if n := len(slots); n >= burst {
		if free := slots[n-burst].Add(per); free.After(now) {
			return free.Sub(now), nil
		}
	}
	slots = append(slots, now)
	if len(slots) > burst {
		slots = append(slots[:0:0], slots[len(slots)-burst:]...)
	}
	s.buckets[key] = slots
	return 0, nil
}

// Block implements store.Limiter: the window is filled with burst sends
// at now+d-per, so the next slot frees up at now+d.
func (s *Store) Block(ctx context.Context, key string, burst int, per, d time.Duration) error {
	if err := s.checkOpen(ctx); err != nil {
		return fmt.Errorf("memstore: block %q: %w", key, err)
	}
	if burst <= 0 || per <= 0 || d < 0 {
		return fmt.Errorf("memstore: block %q: burst %d, per %v and d %v must be positive", key, burst, per, d)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	floor := s.now().Add(d - per)
	old := s.buckets[key]
	slots := make([]time.Time, burst)
	for i := range slots {
		slots[i] = floor
		// Keep sends logged later than that.
		if j := len(old) - burst + i; j >= 0 {
			slots[i] = later(old[j], floor)
		}
	}
	s.buckets[key] = slots
	return nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
