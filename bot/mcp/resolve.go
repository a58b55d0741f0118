package mcp

import (
	"math"
	"slices"
	"sort"
	"strings"

	"duban/kb"
	"duban/kb/names"
)

// maxCandidates is how many near names a not-found offers: enough to
// catch a typo or a second office of the same name, few enough that an
// assistant does not read them as an answer.
const maxCandidates = 3

// resolveUnit returns the canonical name of unit as the bot reads it
// (交通运输局, 市交通局 → 交通局) when the documents name that unit.
func resolveUnit(b *kb.Base, unit string) (string, bool) {
	c := names.Unit(unit)
	if c == "" {
		return "", false
	}
	_, ok := slices.BinarySearch(b.Units(), c)
	return c, ok
}

// resolvePerson returns the cleaned name of a person (姜  勇 → 姜勇) when
// the documents name them: as a leader of tasks, in the division of
// labour or on a joint meeting.
func resolvePerson(b *kb.Base, person string) (string, bool) {
	p := names.Clean(person)
	if p == "" {
		return "", false
	}
	if _, ok := slices.BinarySearch(b.Persons(), p); ok {
		return p, true
	}
	return p, len(b.ByLeader(p)) > 0
}

// nearest returns up to n names of pool that share the most telling
// characters with q, best first. A character's weight falls with the
// number of names it occurs in, so the 局 every bureau ends with counts for
// little and the 交通 of 交通局 for much; the score is a Dice coefficient
// over those weights, so a long name does not match merely by being long.
// Names sharing too little are left out: no candidate is better than a
// misleading one.
func nearest(q string, pool []string, n int) []string {
	qr := uniq([]rune(strings.ToLower(names.Clean(q))))
	if len(qr) == 0 || len(pool) == 0 {
		return nil
	}
	df := map[rune]int{}
	for _, p := range pool {
		for _, r := range uniq([]rune(strings.ToLower(p))) {
			df[r]++
		}
	}
	weight := func(r rune) float64 { return math.Log(1 + float64(len(pool))/float64(1+df[r])) }
	sum := func(rs []rune) float64 {
		var s float64
		for _, r := range rs {
			s += weight(r)
		}
		return s
	}
	qw := sum(qr)
	qs := []rune(strings.ToLower(names.Clean(q)))
	type scored struct {
		name  string
		score float64
	}
	var out []scored
	for _, p := range pool {
		pl := strings.ToLower(p)
		var shared float64
		for _, r := range qr {
			if strings.ContainsRune(pl, r) {
				shared += weight(r)
			}
		}
		// Shared pairs of adjacent characters: 交通 in 交通产业集团 says more
		// than 交 and 通 apart.
		for i := 0; i+1 < len(qs); i++ {
			if strings.Contains(pl, string(qs[i:i+2])) {
				shared += weight(qs[i]) / 2
			}
		}
		if score := 2 * shared / (qw + sum(uniq([]rune(pl)))); score >= 0.3 {
			out = append(out, scored{p, score})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].name < out[j].name
	})
	var best []string
	for _, s := range out {
		if len(best) == n {
			break
		}
		best = append(best, s.name)
	}
	return best
}

func uniq(rs []rune) []rune {
	var out []rune
	for _, r := range rs {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}
