package questiongen_test

import (
	"slices"
	"strconv"
	"sync"
	"testing"

	"duban/handlers"
	"duban/handlers/questiongen"
)

// answer is what the tests keep of a reply: its text for the scorer, its
// intent and sources for the metamorphic comparison.
type answer struct {
	text     string
	notFound bool
	intent   string
	sources  string // sorted file:line:row list
}

func keep(r handlers.Reply) answer {
	src := make([]string, 0, len(r.Sources))
	for _, s := range r.Sources {
		src = append(src, s.File+":"+strconv.Itoa(s.Line)+":"+strconv.Itoa(s.Row))
	}
	slices.Sort(src)
	a := answer{text: r.Text(), notFound: r.NotFound, intent: r.Intent}
	for _, s := range src {
		a.sources += s + " "
	}
	return a
}

var (
	suiteOnce    sync.Once
	suiteCases   []questiongen.Case
	suiteReplies []answer
)

// suiteAnswers generates the suite and answers it once per test binary:
// the scoring and the metamorphic tests read the same replies.
func suiteAnswers(t *testing.T) ([]questiongen.Case, []answer, questiongen.Options, float64) {
	t.Helper()
	b, h := seeds(t)
	opt, slack := suiteOptions()
	suiteOnce.Do(func() {
		suiteCases = questiongen.Generate(b, opt)
		suiteReplies = make([]answer, len(suiteCases))
		for i, c := range suiteCases {
			suiteReplies[i] = keep(ask(h, c.Q))
		}
	})
	return suiteCases, suiteReplies, opt, slack
}
