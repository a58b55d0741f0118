package questiongen_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"duban/handlers"
	"duban/handlers/questiongen"
)

// followUpFloor is the share of follow-ups answered right from the state
// of the question before (ratchet; target 1.0).
const followUpFloor = 0.99

// TestFollowUps asks a record by number, then a field of it by a
// follow-up word alone with the Turn the first reply left, as bot.Answer
// does in a chat.
func TestFollowUps(t *testing.T) {
	b, h := seeds(t)
	opt, slack := suiteOptions()
	fus := questiongen.FollowUps(b, questiongen.Options{Seed: 1, Every: opt.Every})
	byField := newTally()
	var fails []string
	ctx := context.Background()
	for _, f := range fus {
		r1 := h.Answer(ctx, handlers.Question{Text: f.First.Q})
		r2 := h.Answer(ctx, handlers.Question{Text: f.Then.Q, Prev: r1.Turn})
		a := keep(r2)
		why := questiongen.Check(f.Then, a.text, a.notFound)
		if !strings.Contains(a.sources, f.Then.Cite+":") {
			why = append(why, "does not cite "+f.Then.Cite)
		}
		byField.add(f.Then.Template, len(why) == 0)
		if len(why) > 0 {
			fails = append(fails, fmt.Sprintf("%s → %s → %s ‖ %s", f.First.Q, f.Then.Q, strings.Join(why, "; "), firstLine(a.text)))
		}
	}
	report := "### Follow-ups: a field asked after its record\n\n" + byField.table("follow-up", "accuracy", nil)
	t.Logf("%d conversations\n%s", len(fus), report)
	writeArtifact(t, "questiongen_followups.md", report)
	if testing.Verbose() {
		slices.Sort(fails)
		t.Logf("failing follow-ups (%d):\n%s", len(fails), strings.Join(fails, "\n"))
	}
	ok, n := byField.total()
	if n == 0 {
		t.Fatal("no follow-ups generated")
	}
	if got, f := float64(ok)/float64(n), followUpFloor-slackFor(followUpFloor, n, slack); got < f {
		t.Errorf("follow-ups: %.3f below the floor %.3f", got, f)
	}
}
