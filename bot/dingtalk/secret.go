package dingtalk

import "log/slog"

// A Secret is a credential (app secret, access token, signing secret). It
// prints and logs as REDACTED so it cannot leak through %v or slog.
type Secret string

// LogValue implements slog.LogValuer.
func (Secret) LogValue() slog.Value { return slog.StringValue("REDACTED") }

// String implements fmt.Stringer, for %v and %s.
func (Secret) String() string { return "REDACTED" }

// GoString implements fmt.GoStringer, for %#v.
func (Secret) GoString() string { return `"REDACTED"` }

// discard is the logger used when a Config has none (STYLE §3.4).
var discard = slog.New(slog.DiscardHandler)
