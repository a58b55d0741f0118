package memstore

import (
	"encoding/binary"
	"errors"
	"time"
)

// A record is what the dedup, ledger and conversation buckets hold: an
// expiry (Unix nanoseconds, 0 for never), a state byte and a value,
// encoded as 8 bytes big-endian expiry, 1 state byte, then the value.
type record struct {
	expires int64
	state   byte
	value   []byte
}

// Ledger states.
const (
	stateClaimed byte = 'c'
	stateSent    byte = 's'
)

var errCorrupt = errors.New("corrupt record")

func (r record) encode() []byte {
	b := make([]byte, 9, 9+len(r.value))
	binary.BigEndian.PutUint64(b, uint64(r.expires))
	b[8] = r.state
	return append(b, r.value...)
}

// decode parses b; the value aliases b, so copy it before the transaction ends.
func decode(b []byte) (record, error) {
	if len(b) < 9 {
		return record{}, errCorrupt
	}
	return record{
		expires: int64(binary.BigEndian.Uint64(b)),
		state:   b[8],
		value:   b[9:],
	}, nil
}

func (r record) expired(now time.Time) bool {
	return r.expires != 0 && r.expires <= now.UnixNano()
}

// expiry returns the record expiry for ttl from now; ttl 0 means never.
func expiry(now time.Time, ttl time.Duration) int64 {
	if ttl == 0 {
		return 0
	}
	return now.Add(ttl).UnixNano()
}
