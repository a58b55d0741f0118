package redisstore

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// ParseURL parses a Redis URL into the options of one of go-redis's three
// clients, which NewClient then builds:
//
//   - redis://[user:pass@]host:port/db, rediss:// (TLS) and
//     unix:///path?db=N: a single node (*redis.Options, via redis.ParseURL);
//   - redis+sentinel://[user:pass@]sentinel:26379/db?master_name=mymaster&addr=sentinel2:26379
//     (rediss+sentinel:// for TLS), or any redis:// URL with a master_name
//     parameter: Sentinel failover (*redis.FailoverOptions, via
//     redis.ParseFailoverURL; the user info authenticates to the sentinels,
//     the password parameter to the master);
//   - redis+cluster://[user:pass@]node1:6379?addr=node2:6379&addr=node3:6379
//     (rediss+cluster:// for TLS): Redis Cluster (*redis.ClusterOptions, via
//     redis.ParseClusterURL).
//
// Query parameters set client options by their snake-case names, e.g.
// dial_timeout=1s&read_timeout=500ms&max_retries=2&pool_size=20.
func ParseURL(rawURL string) (any, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redisstore: parse URL: %w", err)
	}
	base, mode, _ := strings.Cut(u.Scheme, "+")
	if mode == "" && u.Query().Has("master_name") {
		mode = "sentinel"
	}
	var opts any
	switch mode {
	case "":
		opts, err = redis.ParseURL(rawURL)
	case "sentinel":
		u.Scheme = base
		opts, err = redis.ParseFailoverURL(u.String())
	case "cluster":
		u.Scheme = base
		opts, err = redis.ParseClusterURL(u.String())
	default:
		err = fmt.Errorf("unknown scheme %q (want redis, rediss, unix, redis+sentinel or redis+cluster)", u.Scheme)
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: parse URL %s: %w", u.Redacted(), err)
	}
	return opts, nil
}

// NewClient returns the client for a URL that ParseURL accepts.
func NewClient(rawURL string) (redis.UniversalClient, error) {
	opts, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	switch o := opts.(type) {
	case *redis.Options:
		failFast(&o.MaxRetries, &o.DialerRetries, &o.DialTimeout)
		return redis.NewClient(o), nil
	case *redis.FailoverOptions:
		if o.MasterName == "" {
			return nil, fmt.Errorf("redisstore: sentinel URL without master_name")
		}
		failFast(&o.MaxRetries, &o.DialerRetries, &o.DialTimeout)
		return redis.NewFailoverClient(o), nil
	case *redis.ClusterOptions:
		failFast(&o.MaxRetries, &o.DialerRetries, &o.DialTimeout)
		return redis.NewClusterClient(o), nil
	}
	return nil, fmt.Errorf("redisstore: unexpected options %T", opts)
}

// failFast lowers go-redis's retry defaults where the URL set none. With the
// defaults a store call takes about 2.5 s of redials while Redis is down, so
// a question (about three calls) misses WeCom's 5 s and DingTalk's reply
// window; the bot answers without the store instead (dedup and follow-ups
// degrade, answers do not). A URL's max_retries or dial_timeout still win.
func failFast(maxRetries, dialerRetries *int, dialTimeout *time.Duration) {
	if *maxRetries == 0 {
		*maxRetries = 1
	}
	if *dialerRetries == 0 {
		*dialerRetries = 1
	}
	if *dialTimeout == 0 {
		*dialTimeout = time.Second
	}
}
