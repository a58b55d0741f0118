package names

import (
	"sort"
	"strings"
)

// Units of different places. A place prefix is dropped because, to an
// official of the issuing place, 区住建局 and 住建局 are one office. When one
// document names the same kind of unit under two places (市住建局 and
// 区住建局; 如皋市住建局 and 海门区住建局), they are two offices and stay
// two units. What an official of the issuing place expects then:
//
//   - the document's own place (its issuing body's, 青溪区 in a 青溪区人民政府
//     document, written 区, 青溪区 or 南通市青溪区) is still dropped: that
//     unit is 住建局, as in every other document, and a bare 住建局 is it;
//   - any other place keeps its prefix as written: 市住建局, 如皋市住建局.
//
// When the issuing body names no place, the place the document's prefixes
// name most often is its own (区 where 区财政局, 区交通局 and 区住建局 stand
// beside one 市住建局); when no place is named most often, every prefix
// of the pair is kept (市住建局, 区住建局) and a bare 住建局 is a third name.
//
// A lone prefixed form (市住建局 with no other place's 住建局 in the
// document) still merges with the short form. The decision is per
// document: another document's 市住建局 is that document's own office.

// Mark joins a kept place to its unit inside a document being read
// (市 + Mark + 住房和城乡建设局): StripPlace, Written and Unit keep a
// marked place. Readers remove it once a document's records are built
// (see Unmark); it never reaches a knowledge base.
const Mark = '\u2060' // WORD JOINER: invisible, not white space

// Unmark removes every Mark from s.
func Unmark(s string) string {
	if !strings.ContainsRune(s, Mark) {
		return s
	}
	return strings.ReplaceAll(s, string(Mark), "")
}

// cutMark splits a marked unit into its kept place and the unit.
func cutMark(s string) (place, unit string, ok bool) {
	return strings.Cut(s, string(Mark))
}

// SplitPlace returns the administrative prefix of a unit name, as written,
// and the unit after it: 市住建局 → 市, 住建局; 江苏省南通市如东县财政局 →
// 江苏省南通市如东县, 财政局; 住建局 → "", 住建局.
func SplitPlace(s string) (place, unit string) {
	s = Clean(Unmark(s))
	rest := StripPlace(s)
	if rest == s || !strings.HasSuffix(s, rest) {
		return "", s
	}
	return strings.TrimSuffix(s, rest), rest
}

// PlacedUnit returns the key of a unit whose place is kept: the place as
// written and the unit's key (市住房和城乡建设局 → 市住建局).
func PlacedUnit(s string) string {
	place, unit := SplitPlace(s)
	return place + Unit(unit)
}

// PlacedShort is Short for a unit whose place is kept (市住房和城乡建设局 →
// 市住建局).
func PlacedShort(s string) string {
	place, unit := SplitPlace(s)
	return place + Short(unit)
}

// Places decides, for one document, which place prefixes tell units apart.
type Places struct {
	own, level string
	keep       map[string]bool // unit key → places other than own are kept
	pairs      []string
}

// NewPlaces reads the unit mentions of one document (cells, list items;
// anything else is ignored) whose issuing body's place is own with its
// level suffix (青溪, 区; both empty when unknown).
func NewPlaces(own, level string, mentions []string) *Places {
	if level == "" {
		own, level = mostFrequentPlace(mentions)
	}
	p := &Places{own: own, level: level, keep: map[string]bool{}}
	places := map[string][]string{} // unit key → places seen, first seen first
	var keys []string
	for _, m := range mentions {
		place, unit := SplitPlace(m)
		if place == "" || IsCollective(unit) {
			continue
		}
		k := Unit(unit)
		if places[k] == nil {
			keys = append(keys, k)
		}
		pl := p.norm(place)
		seen := false
		for _, q := range places[k] {
			seen = seen || samePlace(q, pl)
		}
		if !seen {
			places[k] = append(places[k], pl)
		}
	}
	for _, k := range keys {
		if len(places[k]) < 2 {
			continue
		}
		p.keep[k] = true
		var sides []string
		for _, pl := range places[k] {
			if pl == "" {
				sides = append(sides, k+" ("+own+level+")")
			} else {
				sides = append(sides, pl+k)
			}
		}
		sort.Strings(sides)
		p.pairs = append(p.pairs, strings.Join(sides, " ≠ "))
	}
	sort.Strings(p.pairs)
	return p
}

// mostFrequentPlace returns the place the mentions' prefixes name most
// often (区 of 区住建局, 区财政局 and 市住建局; 青溪, 区 of 青溪区…), as the
// document's own when its issuing body names none; both empty when no
// place is named more often than every other.
func mostFrequentPlace(mentions []string) (own, level string) {
	var order []string
	counts := map[string]int{}
	for _, m := range mentions {
		place, unit := SplitPlace(m)
		if place == "" || IsCollective(unit) {
			continue
		}
		if counts[place] == 0 {
			order = append(order, place)
		}
		counts[place]++
	}
	score := func(pl string) int {
		n := 0
		for _, q := range order {
			if samePlace(pl, q) {
				n += counts[q]
			}
		}
		return n
	}
	best := ""
	for _, pl := range order {
		if best == "" || score(pl) > score(best) {
			best = pl
		}
	}
	second := 0
	for _, pl := range order {
		switch {
		case !samePlace(best, pl):
			second = max(second, score(pl))
		case len(pl) > len(best):
			best = pl // 青溪区 names the place 区 stands for
		}
	}
	if best == "" || score(best) <= second {
		return "", ""
	}
	rs := []rune(best)
	// The place itself, without the parents before it (南通市青溪区 → 青溪, 区).
	i := len(rs) - 2
	for i >= 0 && !strings.ContainsRune(placeLevels, rs[i]) {
		i--
	}
	return string(rs[i+1 : len(rs)-1]), string(rs[len(rs)-1])
}

// placeLevels end the places of a prefix.
const placeLevels = "省市县区旗镇乡"

// samePlace reports whether two prefixes of one document name one place:
// equal, or one the tail of the other (县 and 青溪县, 青溪县 and 南通市青溪县).
// "" stands for the document's own place and equals only itself.
func samePlace(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	return strings.HasSuffix(a, b) || strings.HasSuffix(b, a)
}

// norm returns "" for the document's own place, else place as written.
func (p *Places) norm(place string) string {
	if p.isOwn(place) {
		return ""
	}
	return place
}

// isOwn reports whether place names the document's own place: its level
// alone (区), its name (青溪区), or its name under its parents
// (南通市青溪区).
func (p *Places) isOwn(place string) bool {
	if p.level == "" {
		return false
	}
	return place == p.level || (p.own != "" && strings.HasSuffix(place, p.own+p.level))
}

// Keep returns the mention m with its place kept and marked (市 + Mark +
// 住建局) when the document names m's unit under another place too, and
// m's place is not the document's own; else m unchanged.
func (p *Places) Keep(m string) string {
	if len(p.keep) == 0 {
		return m
	}
	place, unit := SplitPlace(m)
	if place == "" || !p.keep[Unit(unit)] || p.isOwn(place) {
		return m
	}
	return place + string(Mark) + unit
}

// Any reports whether the document names any unit under two places.
func (p *Places) Any() bool { return len(p.keep) > 0 }

// Pairs lists the units kept apart, "市住建局 ≠ 住建局 (青溪区)", sorted.
func (p *Places) Pairs() []string { return p.pairs }
