package redistest

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill cmd when the test process dies
// without running its cleanups (a go test timeout panics, a developer
// kills it): a Cluster or Sentinel setup left behind is eleven servers
// holding ports and memory on a machine other tests share.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
