package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHTTPConfigValidate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "duban.yaml")
	tests := []struct {
		name, yaml, want string // want: "" for valid, else a substring of the error
	}{
		{"proxies and admin token", "trusted_proxies: [127.0.0.1, 10.0.0.0/8]\nadmin:\n  token: t\n", ""},
		{"bad proxy", "trusted_proxies: [nginx]\n", "trusted_proxies[0]"},
		{"cert without key", "tls:\n  cert_file: cert.pem\n", "cert_file and key_file go together"},
		{"missing cert files", "tls:\n  cert_file: cert.pem\n  key_file: key.pem\n", filepath.Join(dir, "cert.pem")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := loadConfig(path)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("loadConfig: %v, want it valid", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("loadConfig: %v, want an error naming %q", err, tt.want)
			}
		})
	}
}

func TestExposureWarnings(t *testing.T) {
	tests := []struct {
		addr  string
		yaml  string
		warns []string // substrings, in order
	}{
		{"127.0.0.1:8080", "", nil},
		{"[::1]:8080", "", nil},
		{"localhost:8080", "", nil},
		{"0.0.0.0:8080", "", []string{"admin.token", "emulator.token", "tls"}},
		{"[::]:8080", "admin:\n  token: a\nemulator:\n  token: e\ntrusted_proxies: [10.0.0.1]\n", nil},
		{":8080", "admin:\n  token: a\nemulator:\n  disabled: true\n", []string{"tls"}},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "duban.yaml")
		if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := loadConfig(path)
		if err != nil {
			t.Fatal(err)
		}
		got := cfg.exposureWarnings(tt.addr)
		if len(got) != len(tt.warns) {
			t.Errorf("exposureWarnings(%s) = %q, want %d warnings about %q", tt.addr, got, len(tt.warns), tt.warns)
			continue
		}
		for i, w := range tt.warns {
			if !strings.Contains(got[i], w) {
				t.Errorf("exposureWarnings(%s)[%d] = %q, want it to name %s", tt.addr, i, got[i], w)
			}
		}
	}
}
