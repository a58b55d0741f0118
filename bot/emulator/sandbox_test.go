package emulator

import (
	"testing"
	"time"
)

func TestSandbox(t *testing.T) {
	now := time.Date(2020, 9, 3, 10, 0, 0, 0, time.UTC)
	s := NewSandbox(func() time.Time { return now })
	ctx := t.Context()
	if first, _ := s.FirstSeen(ctx, "k", time.Minute); !first {
		t.Error("first FirstSeen = false")
	}
	if first, _ := s.FirstSeen(ctx, "k", time.Minute); first {
		t.Error("second FirstSeen = true")
	}
	s.Put(ctx, "c", []byte("turn"), time.Minute)
	if b, ok, _ := s.Get(ctx, "c"); !ok || string(b) != "turn" {
		t.Errorf("Get = %q, %v", b, ok)
	}
	now = now.Add(2 * time.Minute)
	if _, ok, _ := s.Get(ctx, "c"); ok {
		t.Error("Get after the ttl found the value")
	}
	if first, _ := s.FirstSeen(ctx, "k", time.Minute); !first {
		t.Error("FirstSeen after the ttl = false")
	}
	for i, v := range []string{"a", "b"} {
		if seq, _ := s.Append(ctx, "status/key_tasks/76", []byte(v)); seq != int64(i+1) {
			t.Errorf("Append %q = seq %d, want %d", v, seq, i+1)
		}
	}
	l, _ := s.List(ctx, "status/key_tasks/76")
	keys, _ := s.Keys(ctx)
	if len(l) != 2 || string(l[1]) != "b" || len(keys) != 1 {
		t.Errorf("List = %q, Keys = %q", l, keys)
	}
	for i := range SandboxMaxKeys + 5 {
		s.FirstSeen(ctx, string(rune(0x4e00+i)), time.Hour)
	}
	if n := len(s.seen); n > SandboxMaxKeys {
		t.Errorf("sandbox holds %d dedup keys, over %d", n, SandboxMaxKeys)
	}
}
