package questiongen_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"duban/handlers/questiongen"
)

// sameFloors are the floors of the metamorphic test per perturbation
// class: the share of perturbed questions whose reply has the intent and
// the cited sources of the unperturbed question's reply. A ratchet like
// classFloors; the target is 1.0, since a perturbation keeps the meaning.
// English replies cite the same records, so they are compared too.
var sameFloors = map[string]float64{
	questiongen.PPolite:      0.99,
	questiongen.PMention:     0.99,
	questiongen.PSuffix:      0.99,
	questiongen.PFiller:      0.99,
	questiongen.PNumeralCN:   0.98,
	questiongen.PNumeralFW:   0.99,
	questiongen.PRefForm:     0.99,
	questiongen.PFullWidth:   0.99,
	questiongen.PTypo:        0.98,
	questiongen.PSynonym:     0.99,
	questiongen.PTraditional: 0.99,
	questiongen.PNoPunct:     0.99,
	questiongen.PClause:      0.99,
	questiongen.PShortUnit:   0.89,
	questiongen.PCombo:       0.99,
	questiongen.PEnglish:     0.99,
}

// TestMetamorphic: a meaning-preserving perturbation does not change the
// substance of the answer: the intent chosen and the records cited.
// Counted per perturbation class; -v lists each pair that differs.
func TestMetamorphic(t *testing.T) {
	cases, answers, _, slack := suiteAnswers(t)
	base := map[string]answer{}
	for i, c := range cases {
		if c.Perturb == questiongen.PBase {
			base[c.Template+"|"+c.Base] = answers[i]
		}
	}
	same := newTally()
	var diffs []string
	for i, c := range cases {
		if c.Perturb == questiongen.PBase {
			continue
		}
		b, ok := base[c.Template+"|"+c.Base]
		if !ok {
			t.Fatalf("%s %q: no base case %q", c.Perturb, c.Q, c.Base)
		}
		a := answers[i]
		eq := a.intent == b.intent && a.sources == b.sources
		same.add(c.Perturb, eq)
		if !eq {
			diffs = append(diffs, fmt.Sprintf("%-12s %s [%s %s] ≠ %s [%s %s]",
				c.Perturb, c.Q, a.intent, short(a.sources), c.Base, b.intent, short(b.sources)))
		}
	}
	report := "### Metamorphic: same intent and sources as the unperturbed question\n\n" +
		same.table("perturbation", "unchanged", questiongen.Classes[1:])
	t.Logf("\n%s", report)
	writeArtifact(t, "questiongen_metamorphic.md", report)
	if testing.Verbose() {
		slices.Sort(diffs)
		t.Logf("differing replies (%d): class, question [intent sources] ≠ base [intent sources]\n%s",
			len(diffs), strings.Join(diffs, "\n"))
	}
	for class, floor := range sameFloors {
		if same.n[class] == 0 {
			continue
		}
		if got, f := same.rate(class), floor-slackFor(floor, same.n[class], slack); got < f {
			t.Errorf("class %s: %.3f of replies unchanged, below its floor %.3f", class, got, f)
		}
	}
}

// short abbreviates a source list for the worklist.
func short(s string) string {
	f := strings.Fields(s)
	if len(f) > 2 {
		return strings.Join(f[:2], " ") + fmt.Sprintf(" +%d", len(f)-2)
	}
	return strings.Join(f, " ")
}
