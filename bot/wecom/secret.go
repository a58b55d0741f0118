package wecom

import "log/slog"

// A Secret is a credential (token, EncodingAESKey, app secret, webhook key).
// It prints and logs as "REDACTED" so it cannot leak through fmt, slog or a
// marshalled config; use string(s) where the value itself is needed.
type Secret string

const redacted = "REDACTED"

// String returns "REDACTED", or "" for an empty secret so a missing value
// is still visible in diagnostics.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return `wecom.Secret("` + s.String() + `")` }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText keeps JSON and YAML dumps of a config free of the value.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
