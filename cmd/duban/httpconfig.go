package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"duban/bot"
)

// httpConfig is the operator's part of the HTTP server: who is behind a
// proxy, TLS for a county without one, and the admin token. It is inlined
// into config, so its keys are top-level.
type httpConfig struct {
	// TrustedProxies are the reverse proxies (CIDRs or addresses) whose
	// X-Forwarded-For, X-Real-IP and Forwarded headers name the client.
	TrustedProxies []string `yaml:"trusted_proxies"`
	TLS            struct {
		CertFile string `yaml:"cert_file"` // PEM certificate chain; relative to the config file
		KeyFile  string `yaml:"key_file"`  // PEM private key
	} `yaml:"tls"`
	Admin struct {
		// Token guards /metrics and /readyz (Authorization: Bearer or ?token=).
		Token string `yaml:"token"`
	} `yaml:"admin"`
}

// validateHTTP checks trusted_proxies and tls; each problem names its key.
func (c *config) validateHTTP() error {
	var errs []error
	if _, err := bot.ParseProxies(c.TrustedProxies); err != nil {
		errs = append(errs, err)
	}
	cert, key := c.TLS.CertFile, c.TLS.KeyFile
	switch {
	case cert == "" && key == "":
	case cert == "" || key == "":
		errs = append(errs, errors.New("tls: cert_file and key_file go together"))
	default:
		if _, err := tls.LoadX509KeyPair(c.rel(cert), c.rel(key)); err != nil {
			errs = append(errs, fmt.Errorf("tls.cert_file %s, tls.key_file %s: %w", c.rel(cert), c.rel(key), err))
		}
	}
	return errors.Join(errs...)
}

// serverConfig is the bot.Server's security part: proxies, admin token
// and TLS files.
func (c *config) serverConfig(sc bot.ServerConfig) bot.ServerConfig {
	sc.Proxies, _ = bot.ParseProxies(c.TrustedProxies) // validated at load
	sc.AdminToken = c.Admin.Token
	if c.TLS.CertFile != "" && c.TLS.KeyFile != "" {
		sc.TLSCertFile, sc.TLSKeyFile = c.rel(c.TLS.CertFile), c.rel(c.TLS.KeyFile)
	}
	return sc
}

// exposureWarnings says what a listen address beyond this machine leaves
// open: /metrics and /readyz without admin.token, and the emulator, which
// answers only loopback without emulator.token (say so, or an operator
// wonders why it is 403 through the proxy).
func (c *config) exposureWarnings(addr string) []string {
	if loopbackListen(addr) {
		return nil
	}
	var out []string
	if c.Admin.Token == "" {
		out = append(out, "listening on "+addr+" beyond this machine without admin.token: /metrics and /readyz are open to anyone who can reach it")
	}
	if !c.Emulator.Disabled && c.Emulator.Token == "" {
		out = append(out, "listening on "+addr+" beyond this machine without emulator.token: the emulator answers loopback requests only (set emulator.token, or emulator.disabled)")
	}
	if c.TLS.CertFile == "" && len(c.TrustedProxies) == 0 {
		out = append(out, "listening on "+addr+" without tls and without trusted_proxies: put a TLS proxy in front (README: Behind a proxy) or set tls.cert_file and tls.key_file")
	}
	return out
}

// loopbackListen reports whether a listen address ("127.0.0.1:8080",
// "localhost:8080", "[::1]:8080") stays on this machine. ":8080" and
// "0.0.0.0:8080" listen everywhere.
func loopbackListen(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && a.IsLoopback()
}
