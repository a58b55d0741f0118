package questiongen_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"duban/handlers/questiongen"
)

// citeFloor is the share of single-record questions whose reply cites the
// record the question was made from (ratchet; target 1.0). A reply can
// hold the asked strings by chance or by dumping several records; citing
// the one record proves it found the right one.
const citeFloor = 0.99

// TestCitesRecord: a question made from one record is answered from that
// record, in every perturbation class.
func TestCitesRecord(t *testing.T) {
	cases, answers, _, slack := suiteAnswers(t)
	cites := newTally()
	var misses []string
	for i, c := range cases {
		if c.Cite == "" {
			continue
		}
		ok := strings.Contains(answers[i].sources, c.Cite+":")
		cites.add(c.Perturb, ok)
		if !ok && c.Perturb == questiongen.PBase {
			misses = append(misses, fmt.Sprintf("%-28s %s → cites [%s], want %s", c.Template, c.Q, short(answers[i].sources), c.Cite))
		}
	}
	report := "### Cites the record the question was made from\n\n" +
		cites.table("perturbation", "cites it", questiongen.Classes)
	t.Logf("\n%s", report)
	writeArtifact(t, "questiongen_cites.md", report)
	if testing.Verbose() {
		slices.Sort(misses)
		t.Logf("base questions citing another source (%d):\n%s", len(misses), strings.Join(misses, "\n"))
	}
	ok, n := cites.total()
	if n == 0 {
		t.Fatal("no question names its record")
	}
	if got, f := float64(ok)/float64(n), citeFloor-slackFor(citeFloor, n, slack); got < f {
		t.Errorf("%.3f of replies cite the record asked about, below the floor %.3f", got, f)
	}
}
