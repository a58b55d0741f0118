package bot

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestClientOf(t *testing.T) {
	proxies, err := ParseProxies([]string{"127.0.0.1", "10.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		peer    string
		headers map[string]string
		want    string // Client.String()
		local   bool
	}{
		{"direct loopback", "127.0.0.1:5000", nil, "127.0.0.1", true},
		{"direct remote", "203.0.113.9:5000", nil, "203.0.113.9", false},
		{"remote forging headers", "203.0.113.9:5000", map[string]string{"X-Forwarded-For": "127.0.0.1"}, "203.0.113.9 (untrusted forwarding headers)", false},
		{"trusted proxy, remote client", "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "203.0.113.7"}, "203.0.113.7", false},
		{"trusted proxy, client prepends a lie", "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "127.0.0.1, 203.0.113.7"}, "203.0.113.7", false},
		{"two trusted proxies", "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "203.0.113.7, 10.1.2.3"}, "203.0.113.7", false},
		{"trusted proxy, local client", "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "127.0.0.1"}, "127.0.0.1", true},
		{"trusted proxy, X-Real-IP only", "10.0.0.5:5000", map[string]string{"X-Real-IP": "198.51.100.4"}, "198.51.100.4", false},
		{"trusted proxy, Forwarded", "10.0.0.5:5000", map[string]string{"Forwarded": `for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"`}, "2001:db8::1", false},
		{"trusted proxy, no headers", "10.0.0.5:5000", nil, "10.0.0.5", false},
		{"trusted proxy, garbage hop", "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "unknown"}, "127.0.0.1 (untrusted forwarding headers)", false},
		{"untrusted loopback proxy (nginx, no trusted_proxies)", "[::1]:5000", map[string]string{"X-Real-IP": "203.0.113.7"}, "::1 (untrusted forwarding headers)", false},
		{"ipv4-mapped peer", "[::ffff:127.0.0.1]:5000", nil, "127.0.0.1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.peer
			for k, v := range tt.headers {
				r.Header.Set(k, v)
			}
			p := proxies
			if tt.name == "untrusted loopback proxy (nginx, no trusted_proxies)" {
				p = Proxies{}
			}
			c := p.ClientOf(r)
			if c.String() != tt.want || c.Local() != tt.local {
				t.Errorf("ClientOf = %q (local %v), want %q (local %v)", c, c.Local(), tt.want, tt.local)
			}
		})
	}
}

func TestParseProxiesErrors(t *testing.T) {
	_, err := ParseProxies([]string{"10.0.0.0/8", "nginx", "300.1.1.1"})
	if err == nil || !strings.Contains(err.Error(), "trusted_proxies[1]") || !strings.Contains(err.Error(), "trusted_proxies[2]") {
		t.Errorf("ParseProxies = %v, want errors naming trusted_proxies[1] and [2]", err)
	}
}

// FuzzClientOf checks, for any forwarding headers, that an untrusted peer
// is always the client and never local when it sends such headers, and
// that through a trusted proxy the client is never a trusted proxy unless
// every hop was one.
func FuzzClientOf(f *testing.F) {
	f.Add("203.0.113.9:1", "127.0.0.1", "", "")
	f.Add("127.0.0.1:1", "1.2.3.4, 127.0.0.1", "for=5.6.7.8", "9.9.9.9")
	f.Add("127.0.0.1:1", "unknown", `for="[::1]:80"`, "")
	proxies, _ := ParseProxies([]string{"127.0.0.1", "10.0.0.0/8"})
	f.Fuzz(func(t *testing.T, peer, xff, fwd, real string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = peer
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		if fwd != "" {
			r.Header.Set("Forwarded", fwd)
		}
		if real != "" {
			r.Header.Set("X-Real-IP", real)
		}
		c := proxies.ClientOf(r)
		p := peerAddr(peer)
		if !proxies.Trusted(p) || !p.IsValid() {
			if c.Addr != p {
				t.Fatalf("untrusted peer %q: client %v", peer, c)
			}
			if hasForwarding(r.Header) && c.Local() {
				t.Fatalf("untrusted peer %q with forwarding headers counted as local", peer)
			}
		}
	})
}
