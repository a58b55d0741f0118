package bot

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies (config trusted_proxies) whose
// forwarding headers name the client. A request from anywhere else is
// taken from its TCP peer, whatever headers it carries: anyone can write
// X-Forwarded-For. The zero value trusts no proxy.
type Proxies struct {
	nets []netip.Prefix
}

// ParseProxies reads trusted proxies given as CIDRs ("10.0.0.0/8") or
// single addresses ("127.0.0.1"). Every bad entry is reported, named by
// its YAML path.
func ParseProxies(list []string) (Proxies, error) {
	var p Proxies
	var bad []string
	for i, s := range list {
		s = strings.TrimSpace(s)
		if pre, err := netip.ParsePrefix(s); err == nil {
			p.nets = append(p.nets, pre.Masked())
			continue
		}
		if a, err := netip.ParseAddr(s); err == nil {
			a = a.Unmap()
			p.nets = append(p.nets, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		bad = append(bad, fmt.Sprintf("trusted_proxies[%d]: %q is not an IP address or CIDR", i, s))
	}
	if len(bad) > 0 {
		return Proxies{}, fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	return p, nil
}

// Trusted reports whether a is one of the proxies.
func (p Proxies) Trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, n := range p.nets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// A Client is where a request came from, as far as the server can tell.
type Client struct {
	// Addr is the client's address: the TCP peer, or, when the peer is a
	// trusted proxy, the nearest address in its forwarding headers that
	// is not itself a trusted proxy. Invalid when nothing parses.
	Addr netip.Addr
	// Forwarded is true when the request carries forwarding headers
	// (X-Forwarded-For, X-Real-IP, Forwarded) that were not used because
	// its peer is not a trusted proxy: a proxy sent it that the
	// configuration does not know. Such a request never counts as local,
	// so nginx on the same host with its default Host header cannot make
	// a remote browser look like a loopback one.
	Forwarded bool
}

// Local reports whether the request is known to come from this machine.
func (c Client) Local() bool { return c.Addr.IsValid() && c.Addr.IsLoopback() && !c.Forwarded }

// String is the address for logs: "203.0.113.7", or "127.0.0.1 (untrusted
// forwarding headers)".
func (c Client) String() string {
	s := "unknown"
	if c.Addr.IsValid() {
		s = c.Addr.String()
	}
	if c.Forwarded {
		s += " (untrusted forwarding headers)"
	}
	return s
}

// ClientOf resolves r's client through p. X-Forwarded-For is read from
// the right, where each trusted proxy appended the peer it saw, skipping
// trusted proxies; then Forwarded's for= list the same way; then X-Real-IP.
// The first source present is used; configure the proxy to set
// X-Forwarded-For (nginx: $proxy_add_x_forwarded_for) and X-Real-IP.
func (p Proxies) ClientOf(r *http.Request) Client {
	peer := peerAddr(r.RemoteAddr)
	if !peer.IsValid() || !p.Trusted(peer) {
		return Client{Addr: peer, Forwarded: hasForwarding(r.Header)}
	}
	var hops []string
	switch {
	case len(r.Header.Values("X-Forwarded-For")) > 0:
		for _, v := range r.Header.Values("X-Forwarded-For") {
			hops = append(hops, strings.Split(v, ",")...)
		}
	case len(r.Header.Values("Forwarded")) > 0:
		for _, v := range r.Header.Values("Forwarded") {
			hops = append(hops, forwardedFor(v)...)
		}
	case r.Header.Get("X-Real-IP") != "":
		hops = []string{r.Header.Get("X-Real-IP")}
	default:
		return Client{Addr: peer}
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a := hopAddr(hops[i])
		if !a.IsValid() {
			// A hop we cannot read: stop at the last one we could, rather
			// than trust whatever the client put further left.
			return Client{Addr: client, Forwarded: true}
		}
		client = a
		if !p.Trusted(a) {
			return Client{Addr: a}
		}
	}
	return Client{Addr: client}
}

func hasForwarding(h http.Header) bool {
	return len(h.Values("X-Forwarded-For")) > 0 || len(h.Values("Forwarded")) > 0 || h.Get("X-Real-IP") != ""
}

// peerAddr parses a RemoteAddr ("127.0.0.1:5678", "[::1]:5678").
func peerAddr(remote string) netip.Addr {
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		return ap.Addr().Unmap()
	}
	host := remote
	if h, _, err := net.SplitHostPort(remote); err == nil {
		host = h
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// hopAddr parses one hop: "203.0.113.7", " 2001:db8::1", "[2001:db8::1]:80",
// "203.0.113.7:51234" or a quoted Forwarded value.
func hopAddr(s string) netip.Addr {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap()
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap()
	}
	a, _ := netip.ParseAddr(strings.Trim(s, "[]"))
	return a.Unmap()
}

// forwardedFor returns the for= values of an RFC 7239 Forwarded header, in
// order ("for=192.0.2.60;proto=http, for=\"[2001:db8::1]\"").
func forwardedFor(v string) []string {
	var out []string
	for _, elem := range strings.Split(v, ",") {
		for _, pair := range strings.Split(elem, ";") {
			k, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if ok && strings.EqualFold(k, "for") {
				out = append(out, val)
			}
		}
	}
	return out
}

type clientKey struct{}

// WithClient returns ctx carrying c, as Server does for every request.
func WithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// ClientFrom returns the client Server resolved for r. Outside a Server
// (a handler under test) it trusts no proxy: the peer, with Forwarded set
// if r carries forwarding headers.
func ClientFrom(r *http.Request) Client {
	if c, ok := r.Context().Value(clientKey{}).(Client); ok {
		return c
	}
	return Proxies{}.ClientOf(r)
}
