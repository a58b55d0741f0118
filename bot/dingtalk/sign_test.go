package dingtalk

import (
	"errors"
	"testing"
	"time"

	"duban/bot/dingtalk/dingtalktest"
)

// The published vectors of PROTOCOLS §7.4, verified there with Python hmac.
const (
	d1Timestamp = "1577262236757"
	d1Secret    = "this is a secret"
	d1Sign      = "DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA="
	d2Secret    = "this is secret"
	d2Sign      = "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM="
	d2Query     = "?access_token=XXX&timestamp=1577262236757&sign=hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D"
)

var shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

func TestSignVectors(t *testing.T) {
	tests := []struct {
		name, ts, secret, want string
	}{
		{"D1 robot callback header", d1Timestamp, d1Secret, d1Sign},
		{"D2 custom robot", d1Timestamp, d2Secret, d2Sign},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sign(tt.ts, Secret(tt.secret)); got != tt.want {
				t.Errorf("sign(%q, secret) = %q, want %q", tt.ts, got, tt.want)
			}
			// The fake computes it independently; both must agree.
			if got := dingtalktest.Sign(tt.ts, tt.secret); got != tt.want {
				t.Errorf("dingtalktest.Sign(%q, secret) = %q, want %q", tt.ts, got, tt.want)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	sent := time.UnixMilli(1577262236757)
	tests := []struct {
		name      string
		timestamp string
		sign      string
		now       time.Time
		want      error // nil, ErrBadSignature or ErrExpired
	}{
		// PROTOCOLS §7.4: accept at ±59 min, reject at ±61 min.
		{"exact", d1Timestamp, d1Sign, sent, nil},
		{"59 min later", d1Timestamp, d1Sign, sent.Add(59 * time.Minute), nil},
		{"59 min earlier", d1Timestamp, d1Sign, sent.Add(-59 * time.Minute), nil},
		{"61 min later", d1Timestamp, d1Sign, sent.Add(61 * time.Minute), ErrExpired},
		{"61 min earlier", d1Timestamp, d1Sign, sent.Add(-61 * time.Minute), ErrExpired},

		{"wrong sign", d1Timestamp, d2Sign, sent, ErrBadSignature},
		{"sign url-encoded", d1Timestamp, "DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA%3D", sent, ErrBadSignature},
		{"sign of another timestamp", "1577262236758", d1Sign, sent, ErrBadSignature},
		{"missing sign", d1Timestamp, "", sent, ErrBadSignature},
		{"missing timestamp", "", d1Sign, sent, ErrBadSignature},
		{"timestamp in seconds", "1577262236", d1Sign, sent, ErrExpired},
		{"timestamp not a number", "15772622367x7", d1Sign, sent, ErrBadSignature},
		{"negative timestamp", "-1577262236757", d1Sign, sent, ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(d1Secret, tt.timestamp, tt.sign, tt.now, DefaultWindow)
			if tt.want == nil && err != nil {
				t.Fatalf("Verify(%q, %q) = %v, want nil", tt.timestamp, tt.sign, err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Verify(%q, %q) = %v, want %v", tt.timestamp, tt.sign, err, tt.want)
			}
		})
	}
}
