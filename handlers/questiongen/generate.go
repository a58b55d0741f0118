package questiongen

import (
	"math/rand/v2"
	"time"

	"duban/kb"
)

// Options tune Generate. The zero value generates the whole suite.
type Options struct {
	// Seed fixes every random choice (prefixes, typos): the same seed and
	// knowledge base give the same suite. Default: 1.
	Seed uint64
	// Every keeps one draft in Every (1 or 0: all), a deterministic sample
	// for slow runs such as -race.
	Every int
	// Now is the moment time-window questions (本月到期, 已逾期) are asked
	// at; zero leaves them out.
	Now time.Time
}

// gen holds the state of one generation run.
type gen struct {
	b          *kb.Base
	rnd        *rand.Rand
	rots       map[string]int
	allPersons []string
	corpus     string // every passage and record text, to prove a mutant absent
}

func newGen(b *kb.Base, seed uint64) *gen {
	if seed == 0 {
		seed = 1
	}
	return &gen{
		b:          b,
		rnd:        rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)),
		rots:       map[string]int{},
		allPersons: b.Persons(),
	}
}

// reseed gives the next kind of drafts its own random stream, so a change
// in how one kind draws does not reshuffle the others.
func (g *gen) reseed(seed, kind uint64) {
	g.rnd = rand.New(rand.NewPCG(seed, kind))
}

// rot returns the next index of a rotation through n phrasings, one
// rotation per key, so phrasings spread evenly over the records.
func (g *gen) rot(key string, n int) int {
	i := g.rots[key] % n
	g.rots[key]++
	return i
}

// pick returns a random element of xs.
func pick[T any](g *gen, xs []T) T { return xs[g.rnd.IntN(len(xs))] }

// Generate returns the suite: every draft over every record of b, each
// under every perturbation that applies to it.
func Generate(b *kb.Base, o Options) []Case {
	g := newGen(b, o.Seed)
	g.corpus = corpusOf(b)
	drafts := g.drafts(o.Now)
	var out []Case
	for i, d := range drafts {
		if o.Every > 1 && i%o.Every != 0 {
			continue
		}
		out = append(out, g.perturb(d)...)
	}
	return out
}

// drafts returns every unperturbed question, in a fixed order.
func (g *gen) drafts(now time.Time) []draft {
	var out []draft
	for _, r := range g.b.Records() {
		out = append(out, g.taskDrafts(r)...)
		out = append(out, g.topicDrafts(r)...)
		out = append(out, g.quantityDrafts(r)...)
		out = append(out, g.twoFieldDrafts(r)...)
		out = append(out, g.grammarDrafts(r)...)
		out = append(out, g.roleDrafts(r)...)
	}
	out = append(out, g.multiDrafts()...)
	out = append(out, g.listDrafts()...)
	out = append(out, g.filterDrafts()...)
	out = append(out, g.windowDrafts(now)...)
	out = append(out, g.noticeDrafts()...)
	out = append(out, g.planTargetDrafts()...)
	out = append(out, g.countDrafts()...)
	out = append(out, g.leaderDrafts()...)
	out = append(out, g.planDrafts()...)
	return out
}
