package storetest

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"duban/store"
)

// Bench benchmarks each operation of s, so both implementations report
// the same figures: ns/op (latency of one call) and ops/s. Keys are fresh
// per iteration where a repeated key would measure a different path (a
// dedup hit instead of a write). The "parallel" cases run 16 goroutines
// per CPU, as a busy server would.
func Bench(b *testing.B, s store.Store) {
	ctx := b.Context()
	var n atomic.Int64
	next := func() string { return strconv.FormatInt(n.Add(1), 10) }
	cases := []struct {
		name string
		op   func() error
	}{
		{"FirstSeen", func() error { _, err := s.FirstSeen(ctx, "bench:"+next(), time.Hour); return err }},
		{"Claim+Confirm", func() error {
			k := "bench:" + next()
			if _, err := s.Claim(ctx, k, benchOwner, time.Minute); err != nil {
				return err
			}
			return s.Confirm(ctx, k, benchOwner, 0)
		}},
		{"Sent", func() error { _, err := s.Sent(ctx, "bench:1"); return err }},
		{"Reserve", func() error { _, err := s.Reserve(ctx, "bench:"+next(), 20, time.Minute); return err }},
		{"Lock+Unlock", func() error {
			k := "bench:" + next()
			tok, err := s.Lock(ctx, k, time.Minute)
			if err != nil {
				return err
			}
			return s.Unlock(ctx, k, tok)
		}},
		{"Put", func() error { return s.Put(ctx, "bench:"+next(), []byte(`{"task":76}`), time.Hour) }},
		{"Get", func() error { _, _, err := s.Get(ctx, "bench:conv"); return err }},
		{"Append", func() error { _, err := s.Append(ctx, "bench:journal", []byte(`{"status":"done"}`)); return err }},
	}
	if err := s.Put(ctx, "bench:conv", []byte(`{"task":76}`), time.Hour); err != nil {
		b.Fatal(err)
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if err := c.op(); err != nil {
					b.Fatal(err)
				}
			}
			reportOps(b)
		})
	}
	for _, c := range cases[:2] {
		b.Run(c.name+"/parallel", func(b *testing.B) {
			b.SetParallelism(16)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := c.op(); err != nil {
						b.Error(err)
						return
					}
				}
			})
			reportOps(b)
		})
	}
}

var benchOwner = store.Owner{Lock: "bench", Token: 1}

func reportOps(b *testing.B) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, "ops/s")
	}
}
