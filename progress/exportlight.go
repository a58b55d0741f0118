package progress

import "time"

// Export tunes the status exports' last column, 灯: each task's colour
// (LightOf) as of Now with the configured thresholds. The zero value is
// usable: colours as of the moment of writing, default thresholds.
type Export struct {
	Now    time.Time
	Lights Thresholds
}

func (e Export) now() time.Time {
	if e.Now.IsZero() {
		return time.Now()
	}
	return e.Now
}
