package redisstore

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
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
// dial_timeout=1s&read_timeout=500ms&max_retries=2&pool_size=20. The
// store's own parameters (see Extras) are removed before go-redis sees
// the URL.
func ParseURL(rawURL string) (any, error) {
	opts, _, err := parseURL(rawURL)
	return opts, err
}

// Extras are the URL parameters the store reads itself.
type Extras struct {
	// ClusterRefresh (cluster_refresh=2s) is how old the Cluster slot map
	// may get before a command reloads it. go-redis's own default is a
	// minute, and a dead master never redirects anyone, so after a
	// failover the client kept sending its slots to a dead node for up to
	// that minute. Errors that mean the topology changed (refused or
	// broken connections, CLUSTERDOWN, READONLY, MASTERDOWN, TRYAGAIN,
	// LOADING) reload it at once as well. Default: 2 seconds.
	ClusterRefresh time.Duration
	// WaitReplicas (wait_replicas=1) makes the writes that must survive a
	// failover (ledger claims and confirms, the tick lock, keyed journal
	// appends) wait until that many replicas have them, with WAIT on the
	// connection that wrote; a master with fewer replicas connected (one
	// just promoted, whose old master has not rejoined) waits for those
	// it has. Default: 0, no waiting (asynchronous replication can then
	// lose an acknowledged write in a failover).
	WaitReplicas int
	// WaitStrict (wait_strict=true) refuses a must-survive write with
	// ErrNotReplicated whenever fewer than WaitReplicas replicas took it,
	// also while the master has fewer: safer against a second failure,
	// but with one replica per master every such write fails from a
	// failover until the dead node is back. Default: false.
	WaitStrict bool
	// WaitTimeout (wait_timeout=100ms) bounds that wait; a write not
	// replicated in time fails with ErrNotReplicated. Default: 200 ms.
	WaitTimeout time.Duration
}

func parseURL(rawURL string) (any, Extras, error) {
	x := Extras{ClusterRefresh: 2 * time.Second, WaitTimeout: 200 * time.Millisecond}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, x, fmt.Errorf("redisstore: parse URL: %w", err)
	}
	q := u.Query()
	for _, p := range []struct {
		name string
		d    *time.Duration
	}{{"cluster_refresh", &x.ClusterRefresh}, {"wait_timeout", &x.WaitTimeout}} {
		if v := q.Get(p.name); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return nil, x, fmt.Errorf("redisstore: parse URL %s: %s=%q: want a positive duration such as 2s", u.Redacted(), p.name, v)
			}
			*p.d = d
		}
		q.Del(p.name)
	}
	if v := q.Get("wait_replicas"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, x, fmt.Errorf("redisstore: parse URL %s: wait_replicas=%q: want a count such as 1", u.Redacted(), v)
		}
		x.WaitReplicas = n
	}
	q.Del("wait_replicas")
	if v := q.Get("wait_strict"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, x, fmt.Errorf("redisstore: parse URL %s: wait_strict=%q: want true or false", u.Redacted(), v)
		}
		x.WaitStrict = b
	}
	q.Del("wait_strict")
	u.RawQuery = q.Encode()
	rawURL = u.String()
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
		return nil, x, fmt.Errorf("redisstore: parse URL %s: %w", u.Redacted(), err)
	}
	if o, ok := opts.(*redis.ClusterOptions); ok {
		o.ClusterStateReloadInterval = x.ClusterRefresh
	}
	if err := checkWaitTimeout(opts, x); err != nil {
		return nil, x, fmt.Errorf("redisstore: parse URL %s: %w", u.Redacted(), err)
	}
	return opts, x, nil
}

// NewClient returns the client for a URL that ParseURL accepts.
func NewClient(rawURL string) (redis.UniversalClient, error) {
	c, _, err := newClient(rawURL)
	return c, err
}

func newClient(rawURL string) (redis.UniversalClient, Extras, error) {
	opts, x, err := parseURL(rawURL)
	if err != nil {
		return nil, x, err
	}
	c, err := clientFor(opts)
	return c, x, err
}

func clientFor(opts any) (redis.UniversalClient, error) {
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
		c := redis.NewClusterClient(o)
		c.AddHook(reloadOnTopologyError{reload: func() { c.ReloadState(context.Background()) }})
		return c, nil
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

// checkWaitTimeout refuses a wait_timeout that the read timeout would cut
// off: WAIT answers only after up to wait_timeout, so with read_timeout no
// longer every write that waits for a lagging or syncing replica fails
// with an i/o timeout although the master applied it (seen in the Sentinel
// failover test as confirms that never succeeded, and reminders sent again
// when their claims lapsed).
func checkWaitTimeout(opts any, x Extras) error {
	if x.WaitReplicas <= 0 {
		return nil
	}
	var read time.Duration
	switch o := opts.(type) {
	case *redis.Options:
		read = o.ReadTimeout
	case *redis.FailoverOptions:
		read = o.ReadTimeout
	case *redis.ClusterOptions:
		read = o.ReadTimeout
	}
	if read == 0 {
		read = 3 * time.Second // go-redis's default
	}
	if read > 0 && x.WaitTimeout+100*time.Millisecond > read {
		return fmt.Errorf("wait_timeout=%v needs a read_timeout of at least %v, not %v", x.WaitTimeout, x.WaitTimeout+100*time.Millisecond, read)
	}
	return nil
}
