package questiongen_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"duban/handlers/questiongen"
)

// classFloors are the accuracy floors of the generated suite per
// perturbation class: a ratchet set a little below what the pipeline
// achieves. Raise them as the pipeline improves; the target is 0.98 each.
var classFloors = map[string]float64{
	questiongen.PBase:        0.99,
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
	questiongen.PShortUnit:   0.98,
	questiongen.PCombo:       0.99,
	questiongen.PEnglish:     0.99,
}

// sampleEvery is the draft sample under -short, raceSampleEvery under
// -race (each answer ~10x slower); the floors then allow sampleSlack for
// the noise of a smaller sample.
const (
	sampleEvery     = 9
	raceSampleEvery = 40
	sampleSlack     = 0.04
)

// slackFor widens a floor for a sample of n questions: at least slack, and
// 2.5 standard errors of a rate near the floor, so a small class's sample
// does not fail by chance.
func slackFor(floor float64, n int, slack float64) float64 {
	if slack == 0 {
		return 0
	}
	return max(slack, 2.5*math.Sqrt(floor*(1-floor)/float64(n)))
}

func suiteOptions() (questiongen.Options, float64) {
	if raceOn {
		return questiongen.Options{Seed: 1, Every: raceSampleEvery, Now: testNow}, sampleSlack
	}
	if testing.Short() {
		return questiongen.Options{Seed: 1, Every: sampleEvery, Now: testNow}, sampleSlack
	}
	return questiongen.Options{Seed: 1, Now: testNow}, 0
}

// TestGeneratedSuite asks every generated question through the public API
// and scores it. It prints accuracy per perturbation class and per
// template, and with -v every failing question, one line each: the
// pipeline's worklist.
func TestGeneratedSuite(t *testing.T) {
	cases, answers, opt, slack := suiteAnswers(t)
	byClass, byTemplate, byKind := newTally(), newTally(), newTally()
	var fails []string
	for i, c := range cases {
		r := answers[i]
		why := questiongen.Check(c, r.text, r.notFound)
		pass := len(why) == 0
		byClass.add(c.Perturb, pass)
		byTemplate.add(c.Template, pass)
		byKind.add(c.Kind, pass)
		if !pass {
			fails = append(fails, fmt.Sprintf("%-12s %-28s %s → %s ‖ %s",
				c.Perturb, c.Template, c.Q, strings.Join(why, "; "), firstLine(r.text)))
		}
	}
	report := fmt.Sprintf("### Generated suite: accuracy per perturbation class\n\n%d questions (every %d. draft; the full suite without -race and -short)\n\n",
		len(cases), max(opt.Every, 1)) +
		byClass.table("perturbation", "accuracy", questiongen.Classes) +
		"\n### Per record kind\n\n" + byKind.table("kind", "accuracy", nil) +
		"\n### Per template\n\n" + byTemplate.table("template", "accuracy", nil)
	t.Logf("%d questions (sample every %d drafts)\n%s", len(cases), max(opt.Every, 1), report)
	writeArtifact(t, "questiongen.md", report)
	if testing.Verbose() {
		slices.Sort(fails)
		t.Logf("failing questions (%d): class, template, question → why ‖ answer\n%s",
			len(fails), strings.Join(fails, "\n"))
	}
	for _, class := range questiongen.Classes {
		if byClass.n[class] == 0 {
			if opt.Every <= 1 {
				t.Errorf("class %s: no questions generated", class)
			}
			continue
		}
		if got, floor := byClass.rate(class), classFloors[class]-slackFor(classFloors[class], byClass.n[class], slack); got < floor {
			t.Errorf("class %s: accuracy %.3f below its floor %.3f", class, got, floor)
		}
	}
}
