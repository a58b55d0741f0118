package main

import (
	"encoding/json"
	"testing"
)

// TestAskExplain: ask --json carries "explain": the parsed frame, the
// intents that scored it (best first) and the records the answer cites.
func TestAskExplain(t *testing.T) {
	out, _, err := runCLI(t, "", "ask", "--docs", seeds(t), "--json", "实事第12项谁牵头，谢谢")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Explain struct {
			Frame struct {
				Refs []struct {
					No    int    `json:"no"`
					Scope string `json:"scope"`
				} `json:"refs"`
				Topic []string `json:"topic"`
			} `json:"frame"`
			Candidates []struct {
				Intent string  `json:"intent"`
				Score  float64 `json:"score"`
				Result string  `json:"result"`
			} `json:"candidates"`
			Chosen  string   `json:"chosen"`
			Records []string `json:"records"`
		} `json:"explain"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("ask --json: %v\n%s", err, out)
	}
	ex := got.Explain
	if len(ex.Frame.Refs) != 1 || ex.Frame.Refs[0].No != 12 || ex.Frame.Refs[0].Scope == "" {
		t.Errorf("frame refs = %+v, want task 12 scoped to its table", ex.Frame.Refs)
	}
	if len(ex.Frame.Topic) != 0 {
		t.Errorf("politeness read as topic: %q", ex.Frame.Topic)
	}
	if ex.Chosen != "task" || len(ex.Candidates) == 0 || ex.Candidates[0].Intent != "task" || ex.Candidates[0].Result != "answered" {
		t.Errorf("chosen %q, candidates %+v; want the task intent first and answered", ex.Chosen, ex.Candidates)
	}
	for i := 1; i < len(ex.Candidates); i++ {
		if ex.Candidates[i].Score > ex.Candidates[i-1].Score {
			t.Errorf("candidates not best first: %+v", ex.Candidates)
		}
	}
	if len(ex.Records) == 0 {
		t.Error("explain names no record")
	}
}
