//go:build !linux

package redistest

import "os/exec"

// dieWithParent does nothing outside Linux: the servers end with the
// test's cleanups only.
func dieWithParent(*exec.Cmd) {}
