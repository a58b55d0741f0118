package connrun

import "time"

// Defaults both connections use, so that the DingTalk Stream client and
// the WeCom long connection behave alike unless configured otherwise.
const (
	// DefaultWorkers handlers run at once. duban answers in microseconds;
	// the time goes into the delivery (a sessionWebhook POST, a reply
	// frame), and WeCom lets one user have at most three messages in
	// progress with a bot (path/100719).
	DefaultWorkers = 8
	// DefaultQueue accepted messages may wait for a worker.
	DefaultQueue = 64
	// DefaultMinBackoff and DefaultMaxBackoff bound the wait between
	// connection attempts, which doubles per failure.
	DefaultMinBackoff = time.Second
	DefaultMaxBackoff = time.Minute
)

// WithDefaults fills a zero Min with DefaultMinBackoff and a Max below Min
// with DefaultMaxBackoff (or Min, if larger).
func (b Backoff) WithDefaults() Backoff {
	if b.Min <= 0 {
		b.Min = DefaultMinBackoff
	}
	if b.Max < b.Min {
		b.Max = max(DefaultMaxBackoff, b.Min)
	}
	return b
}
