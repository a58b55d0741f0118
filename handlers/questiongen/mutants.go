package questiongen

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// unitSuffixes end a unit's name and say what kind of body it is.
var unitSuffixes = []string{"中心", "局", "委", "办"}

func splitUnit(u string) (stem, suffix string) {
	for _, s := range unitSuffixes {
		if strings.HasSuffix(u, s) && utf8.RuneCountInString(u) > utf8.RuneCountInString(s)+1 {
			return strings.TrimSuffix(u, s), s
		}
	}
	return "", ""
}

// mutantUnits crosses the stems of two real units (first character of
// one, last of another) under a real suffix, keeping those that no
// document holds and that differ from every known unit in two characters
// or more, so that none is a typo of a real unit.
func (g *gen) mutantUnits(n int) []string {
	var stems, sufs []string
	for _, u := range g.b.Units() {
		if isCollective(u) {
			continue
		}
		if st, su := splitUnit(u); st != "" && utf8.RuneCountInString(st) == 2 {
			stems = append(stems, st)
			sufs = append(sufs, su)
		}
	}
	return g.mutants(n, func() string {
		a, b := []rune(pick(g, stems)), []rune(pick(g, stems))
		return string(a[0]) + string(b[1]) + pick(g, sufs)
	}, g.allUnitNames())
}

// allUnitNames returns every unit of the base with all its aliases.
func (g *gen) allUnitNames() []string {
	var out []string
	for _, u := range g.b.Units() {
		out = append(out, aliasesOf(u)...)
	}
	return out
}

// mutantPersons builds three-character names from the surname of one
// person and a given-name character of two others.
func (g *gen) mutantPersons(n int) []string {
	var three [][]rune
	for _, p := range g.allPersons {
		if rs := []rune(p); len(rs) == 3 {
			three = append(three, rs)
		}
	}
	if len(three) == 0 {
		return nil
	}
	return g.mutants(n, func() string {
		return string([]rune{pick(g, three)[0], pick(g, three)[1], pick(g, three)[2]})
	}, g.allPersons)
}

// mutantTopics crosses two four-character phrases of the documents (垃圾
// 分类, 厕所革命: clauses of exactly four characters are mostly such
// names): the first two characters of one and the last two of another,
// kept when the join is in no document and its halves never meet in one
// paragraph.
func (g *gen) mutantTopics(n int) []string {
	var fours []string
	for _, r := range g.b.Records() {
		for _, c := range clauses(r.Text) {
			if utf8.RuneCountInString(c) == 4 && !strings.ContainsFunc(c, func(r rune) bool { return !isHan(r) }) {
				fours = append(fours, c)
			}
		}
	}
	if len(fours) == 0 {
		return nil
	}
	paras := strings.Split(g.corpus, "\n")
	return g.mutants(n, func() string {
		h, t := string([]rune(pick(g, fours))[:2]), string([]rune(pick(g, fours))[2:])
		for _, p := range paras {
			if strings.Contains(p, h) && strings.Contains(p, t) {
				return ""
			}
		}
		return h + t
	}, nil)
}

// mutantIndicators join the subject of one indicator's name (its first
// two or four characters: 人均, 空气质量) and the measure that ends
// another's (its last three: 覆盖率, 满意度), kept when no document holds
// the join and it is two characters or more from every indicator.
func (g *gen) mutantIndicators(n int) []string {
	var names []string
	for _, in := range g.b.Contents().Indicators {
		if rs := []rune(in.Name); len(rs) >= 4 && !strings.ContainsFunc(in.Name, func(r rune) bool { return !isHan(r) }) {
			names = append(names, in.Name)
		}
	}
	if len(names) < 2 {
		return nil
	}
	var all []string
	for _, in := range g.b.Contents().Indicators {
		all = append(all, in.Name)
	}
	return g.mutants(n, func() string {
		a, b := []rune(pick(g, names)), []rune(pick(g, names))
		k := 2
		if len(a) >= 7 {
			k = 4
		}
		return string(a[:k]) + string(b[len(b)-3:])
	}, all)
}

// mutantTowns join the second character of one town's name and the first
// of another's before 镇 (四甲镇, 常乐镇 → 甲常镇): two characters from
// both, so not a typo of either.
func (g *gen) mutantTowns(n int) []string {
	var towns []string
	for _, u := range append(g.b.Units(), g.quotaTowns()...) {
		if rs := []rune(u); len(rs) == 3 && rs[2] == '镇' {
			towns = append(towns, u)
		}
	}
	if len(towns) < 2 {
		return nil
	}
	return g.mutants(n, func() string {
		a, b := []rune(pick(g, towns)), []rune(pick(g, towns))
		return string([]rune{a[1], b[0], '镇'})
	}, towns)
}

func (g *gen) quotaTowns() []string {
	var out []string
	for _, q := range g.b.Contents().Quotas {
		out = append(out, q.Town)
	}
	return out
}

// mutants draws up to n distinct candidates from draw (up to 200n
// tries), keeping those absent from the documents and at least two
// characters away from every name in near.
func (g *gen) mutants(n int, draw func() string, near []string) []string {
	var out []string
	for try := 0; try < 200*n && len(out) < n; try++ {
		m := draw()
		if m == "" || slices.Contains(out, m) || !g.absent(m) {
			continue
		}
		if slices.ContainsFunc(near, func(x string) bool { return distance(x, m) < 2 }) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// distance is the edit distance of a and b in characters.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
