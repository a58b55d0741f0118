package ingest

import (
	"encoding/json"
	"os"
	"testing"
)

func TestZZDump(t *testing.T) {
	for _, f := range []string{"000_1777fef5a1a94697.txt", "001_fb6daadb09dca042.txt"} {
		b, _ := os.ReadFile("/work/shared/seeds/" + f)
		d, _ := ReadText(f, b)
		var c = extractMeasures(d)
		if f[:3] == "001" {
			c = extractNumbered(d)
		}
		out, _ := json.MarshalIndent(c.Records, "", " ")
		os.WriteFile("/tmp/dump_"+f[:3]+".json", out, 0o644)
		for _, w := range c.Warnings {
			t.Log(w)
		}
		t.Log(f, len(c.Records), isMeasures(d), isNumbered(d))
	}
}
