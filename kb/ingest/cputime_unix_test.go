//go:build unix

package ingest

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time this process has used, user and system:
// a figure the other work on a shared machine does not inflate.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
