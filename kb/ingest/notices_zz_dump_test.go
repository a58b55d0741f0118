package ingest

import (
	"encoding/json"
	"os"
	"testing"
)

func TestNoticesZZDump(t *testing.T) {
	name := os.Getenv("DUMP")
	if name == "" {
		t.Skip()
	}
	b, _ := os.ReadFile(name)
	d, _ := ReadText("x.txt", b)
	var c any
	if os.Getenv("PLAN") != "" {
		c = extractPlan(d)
	} else {
		c = extractNotices(d)
	}
	out, _ := json.MarshalIndent(c, "", " ")
	os.WriteFile("/tmp/notices_dump.json", out, 0o644)
}
