package storetest

import (
	"bytes"
	"testing"
	"time"
)

var conversationTests = []contractTest{
	{"missing", testConvMissing},
	{"put and get", testConvPutGet},
	{"ttl", testConvTTL},
	{"delete", testConvDelete},
}

func get(t *testing.T, h Harness, key string) ([]byte, bool) {
	t.Helper()
	v, ok, err := h.Store.Get(t.Context(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return v, ok
}

func put(t *testing.T, h Harness, key string, v []byte, ttl time.Duration) {
	t.Helper()
	if err := h.Store.Put(t.Context(), key, v, ttl); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func testConvMissing(t *testing.T, h Harness) {
	if v, ok := get(t, h, "chat|user"); ok || v != nil {
		t.Fatalf("Get of a missing key = %q, %v; want nil, false", v, ok)
	}
}

func testConvPutGet(t *testing.T, h Harness) {
	tests := []struct {
		name string
		key  string
		v    []byte
	}{
		{"json", "wecom|chat1|user1", []byte(`{"task":76,"table":"key_tasks"}`)},
		{"binary", "bin", []byte{0, 1, 0xff, '\n', 0}},
		{"chinese key", "钉钉|群|张三", []byte("76号任务")},
		{"empty value", "empty", []byte{}},
	}
	for _, tt := range tests {
		put(t, h, tt.key, tt.v, time.Hour)
		v, ok := get(t, h, tt.key)
		if !ok || !bytes.Equal(v, tt.v) {
			t.Errorf("%s: Get(%q) = %q, %v; want %q, true", tt.name, tt.key, v, ok, tt.v)
		}
	}
	put(t, h, "bin", []byte("overwritten"), time.Hour)
	if v, _ := get(t, h, "bin"); string(v) != "overwritten" {
		t.Errorf("Get after overwrite = %q, want %q", v, "overwritten")
	}
}

func testConvTTL(t *testing.T, h Harness) {
	put(t, h, "k", []byte("v1"), 10*time.Minute)
	h.Advance(9 * time.Minute)
	if _, ok := get(t, h, "k"); !ok {
		t.Fatal("Get before the ttl: missing")
	}
	// A Put renews the ttl.
	put(t, h, "k", []byte("v2"), 10*time.Minute)
	h.Advance(9 * time.Minute)
	if v, ok := get(t, h, "k"); !ok || string(v) != "v2" {
		t.Fatalf("Get 9 min after the second Put = %q, %v; want v2, true", v, ok)
	}
	h.Advance(2 * time.Minute)
	if v, ok := get(t, h, "k"); ok {
		t.Fatalf("Get after the ttl = %q, true; want missing", v)
	}
}

func testConvDelete(t *testing.T, h Harness) {
	ctx := t.Context()
	put(t, h, "a", []byte("1"), time.Hour)
	put(t, h, "b", []byte("2"), time.Hour)
	if err := h.Store.Delete(ctx, "a"); err != nil {
		t.Fatalf("Delete(a): %v", err)
	}
	if v, ok := get(t, h, "a"); ok {
		t.Errorf("Get after Delete = %q, true; want missing", v)
	}
	if v, ok := get(t, h, "b"); !ok || string(v) != "2" {
		t.Errorf("Get of another key after Delete = %q, %v; want 2, true", v, ok)
	}
	// Missing, deleted twice, expired: none is an error.
	for _, key := range []string{"a", "never"} {
		if err := h.Store.Delete(ctx, key); err != nil {
			t.Errorf("Delete(%q) of a missing key: %v", key, err)
		}
	}
	// A Put after a Delete stores again, with its own ttl.
	put(t, h, "a", []byte("3"), time.Minute)
	if v, ok := get(t, h, "a"); !ok || string(v) != "3" {
		t.Errorf("Get after Delete and Put = %q, %v; want 3, true", v, ok)
	}
	h.Advance(2 * time.Minute)
	if v, ok := get(t, h, "a"); ok {
		t.Errorf("Get after the new ttl = %q, true; want missing", v)
	}
	if err := h.Store.Delete(ctx, "a"); err != nil {
		t.Errorf("Delete of an expired key: %v", err)
	}
}
