package report

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBotKnowsNoProgress: reports live here, so package bot (the
// platforms' plumbing) imports neither progress nor anything that does
// (issue 21: `go list -deps ./bot` without progress).
func TestBotKnowsNoProgress(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "duban/bot").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if p == "duban/progress" || p == "duban/bot/report" {
			t.Errorf("duban/bot depends on %s", p)
		}
	}
}
