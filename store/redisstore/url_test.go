package redisstore

import (
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name  string
		url   string
		check func(t *testing.T, opts any)
	}{
		{"single node", "redis://:secret@127.0.0.1:6380/2?dial_timeout=1s", func(t *testing.T, opts any) {
			o := opts.(*redis.Options)
			if o.Addr != "127.0.0.1:6380" || o.DB != 2 || o.Password != "secret" || o.DialTimeout != time.Second {
				t.Errorf("options = %+v", o)
			}
		}},
		{"tls", "rediss://redis.example:6379/0", func(t *testing.T, opts any) {
			if o := opts.(*redis.Options); o.TLSConfig == nil {
				t.Error("rediss without TLS config")
			}
		}},
		{"unix socket", "unix:///run/redis.sock?db=3", func(t *testing.T, opts any) {
			if o := opts.(*redis.Options); o.Network != "unix" || o.DB != 3 {
				t.Errorf("options = %+v", o)
			}
		}},
		{"sentinel scheme", "redis+sentinel://s1:26379/1?master_name=mymaster&addr=s2:26379&password=pw", func(t *testing.T, opts any) {
			o := opts.(*redis.FailoverOptions)
			if o.MasterName != "mymaster" || o.DB != 1 || o.Password != "pw" ||
				!slices.Equal(o.SentinelAddrs, []string{"s1:26379", "s2:26379"}) {
				t.Errorf("options = %+v", o)
			}
		}},
		{"sentinel by master_name", "redis://s1:26379?master_name=m", func(t *testing.T, opts any) {
			if o := opts.(*redis.FailoverOptions); o.MasterName != "m" {
				t.Errorf("options = %+v", o)
			}
		}},
		{"sentinel tls", "rediss+sentinel://s1:26379?master_name=m", func(t *testing.T, opts any) {
			if o := opts.(*redis.FailoverOptions); o.TLSConfig == nil {
				t.Error("rediss+sentinel without TLS config")
			}
		}},
		{"cluster", "redis+cluster://n1:7000?addr=n2:7001&addr=n3:7002", func(t *testing.T, opts any) {
			o := opts.(*redis.ClusterOptions)
			if !slices.Equal(o.Addrs, []string{"n1:7000", "n2:7001", "n3:7002"}) {
				t.Errorf("options = %+v", o)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, err := ParseURL(tt.url)
			if err != nil {
				t.Fatalf("ParseURL(%q): %v", tt.url, err)
			}
			tt.check(t, opts)
			c, err := NewClient(tt.url)
			if err != nil {
				t.Fatalf("NewClient(%q): %v", tt.url, err)
			}
			c.Close()
		})
	}
}

func TestParseURLErrors(t *testing.T) {
	for _, u := range []string{
		"http://127.0.0.1:6379",
		"redis+nonsense://127.0.0.1:6379",
		"redis://127.0.0.1:6379/x",
		"redis://127.0.0.1:6379/0?no_such_option=1",
		"redis+sentinel://s1:26379",
		"::",
	} {
		if _, err := NewClient(u); err == nil {
			t.Errorf("NewClient(%q): nil error", u)
		}
	}
	if _, err := New(Config{}); err == nil {
		t.Error("New without URL: nil error")
	}
}
