package handlers

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"duban/kb"
	"duban/kb/names"
	"duban/kb/textnorm"
)

// gazetteer knows the names of the loaded documents: units with their
// aliases, persons with their pinyin, towns. It is built once per
// knowledge base, so a new document's names are known without a code
// change; with the lexicon it forms the tagger's trie.
type gazetteer struct {
	units     []surface // longest first, for fuzzy candidates
	persons   []surface
	towns     map[string]bool
	trie      *trie
	sounds    map[string][]sound // pinyin of a name → the name
	soundEnds map[soundEnd]bool  // (length, last sound) of every name in sounds
	// particle are one-character question words: a name "mistyped" as one
	// (研究是 for 研究室) is a name followed by a word, not a typo
	particle map[rune]bool
	bigrams  map[[2]rune]bool // the documents' character pairs (precompute)
}

type surface struct {
	text  string // as it may appear in a question
	canon string
}

func newGazetteer(b *kb.Base, corpus string) *gazetteer {
	g := &gazetteer{towns: map[string]bool{}, trie: &trie{}}
	seen := map[string]bool{}
	addUnit := func(s, c string) {
		s = textnorm.Fold(s)
		if s == "" || seen[s] || utf8.RuneCountInString(s) < 2 {
			return
		}
		seen[s] = true
		g.units = append(g.units, surface{s, c})
	}
	// Every spelling the documents and the curated table give first, then
	// the place-prefixed forms (市住建局) — but only where the knowledge base
	// reads them as the same unit: a document that names 市住建局 and 区住建局
	// keeps them apart, and the prefixed form must find the other place's.
	for _, u := range b.Units() {
		for _, a := range b.UnitAliases(u) {
			addUnit(a, u)
		}
	}
	for _, u := range b.Units() {
		for _, a := range b.UnitAliases(u) {
			if utf8.RuneCountInString(a) < 3 || names.IsCollective(a) {
				continue
			}
			for _, p := range []string{"市", "区", "县"} {
				if b.Unit(p+a) == u {
					addUnit(p+a, u)
				}
			}
		}
	}
	for _, u := range b.Units() {
		if strings.HasSuffix(u, "镇") || strings.HasSuffix(u, "园区") || strings.HasSuffix(u, "街道") {
			g.towns[u] = true
		}
	}
	for _, l := range b.Contents().Leaders {
		for _, t := range l.Liaises {
			g.towns[t] = true
			addUnit(t, t)
		}
	}
	for _, q := range b.Contents().Quotas {
		g.towns[q.Town] = true
		addUnit(q.Town, q.Town)
	}
	for _, p := range b.Persons() {
		if !names.IsCollective(p) && utf8.RuneCountInString(p) >= 2 && utf8.RuneCountInString(p) <= 4 {
			g.persons = append(g.persons, surface{p, p})
			for _, py := range personPinyin(p) {
				g.persons = append(g.persons, surface{py, p})
			}
		}
	}
	// a post only one leader holds (区长) names that leader
	postOf := map[string][]string{}
	for _, l := range b.Contents().Leaders {
		for _, part := range strings.FieldsFunc(l.Post, func(r rune) bool { return strings.ContainsRune("，,、 ；;", r) }) {
			for _, p := range []string{part, strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(part, "区政府"), "市政府"), "区委"), "市委")} {
				head := strings.HasSuffix(p, "长") || strings.HasSuffix(p, "书记") || strings.HasSuffix(p, "主任")
				if head && utf8.RuneCountInString(p) >= 2 && !hasName(postOf[p], l.Name) {
					postOf[p] = append(postOf[p], l.Name)
				}
			}
		}
	}
	for p, who := range postOf {
		if len(who) == 1 {
			g.persons = append(g.persons, surface{textnorm.Fold(p), who[0]})
		}
	}
	byLen := func(s []surface) {
		sort.SliceStable(s, func(i, j int) bool { return len(s[i].text) > len(s[j].text) })
	}
	byLen(g.units)
	byLen(g.persons)
	for _, s := range g.units {
		k := tagUnit
		if g.towns[s.canon] {
			k = tagTown
		}
		g.trie.add(s.text, entry{kind: k, value: s.canon})
	}
	// in English a town is its pinyin: "Changle town", "Changle"
	for t := range g.towns {
		stem := strings.TrimSuffix(strings.TrimSuffix(t, "镇"), "街道")
		if py := pinyin.LazyPinyin(stem, pinyinArgs); len(py) >= 2 && len(py) == utf8.RuneCountInString(stem) {
			name := strings.Join(py, "")
			g.trie.add(name, entry{kind: tagTown, value: t})
			g.trie.add(name+" town", entry{kind: tagTown, value: t})
		}
	}
	for _, s := range g.persons {
		g.trie.add(s.text, entry{kind: tagPerson, value: s.canon})
	}
	lexSurface := map[string]bool{}
	for _, row := range lexicon {
		lexSurface[row.surface] = true
	}
	tasks := func(u string) int { return len(b.ByUnit(u, true)) + len(b.ByUnit(u, false)) }
	for stem, c := range unitStems(g.units, tasks) {
		// a stem the documents mostly use alone (政府 of 政府办) is a word
		full := 0
		for _, suf := range []string{"局", "委", "办", "中心"} {
			full += strings.Count(corpus, stem+suf)
		}
		word := strings.Count(corpus, stem) > 6*full+12
		if !lexSurface[stem] && !seen[stem] {
			g.trie.add(stem, entry{kind: tagUnit, value: c, stem: true, word: word})
		}
	}
	g.addSounds()
	g.particle = map[rune]bool{}
	for _, row := range lexicon {
		if r := []rune(row.surface); len(r) == 1 && (row.e.kind == tagQWord || row.e.kind == tagFiller || row.e.kind == tagGeneric || row.e.kind == tagRole) {
			g.particle[r[0]] = true
		}
	}
	canon := map[string]string{}
	for _, s := range g.units {
		canon[s.text] = s.canon
	}
	for _, row := range lexicon {
		e := row.e
		if c, ok := canon[e.value]; ok && e.kind == tagEn {
			e = entry{kind: tagUnit, value: c} // "transport bureau" names 交通局
			if g.towns[c] {
				e.kind = tagTown
			}
		}
		e.weak = utf8.RuneCountInString(row.surface) == 1 && (e.kind == tagQWord || e.kind == tagFiller || e.kind == tagGeneric || e.kind == tagRole)
		g.trie.add(row.surface, e)
	}
	return g
}

// personPinyin is how a name is written in English: "hu wenrui",
// "wenrui hu", "huwenrui" (family name first, as officials write it, and
// last, as foreign forms do).
func personPinyin(name string) []string {
	syl := pinyin.LazyPinyin(name, pinyin.NewArgs())
	if len(syl) != utf8.RuneCountInString(name) || len(syl) < 2 {
		return nil
	}
	family, given := syl[0], strings.Join(syl[1:], "")
	return []string{family + " " + given, given + " " + family, family + given}
}

// scopeIn returns the table scope a task reference's own prefix names
// ("project 25", "实事25"), "" for none.
func (g *gazetteer) scopeIn(s string) string {
	for _, m := range g.trie.prefixes(s, nil) {
		for _, e := range m.e {
			if e.kind == tagScope {
				return e.value
			}
		}
	}
	return ""
}

// unitStems are the short forms officials use for an office, its name
// without the office word (人社 for 人社局, 医保 for 医保局, 依治 for 依治办),
// kept only where one unit has the stem, or one of those sharing it has
// more tasks than the others (信访局 has tasks, 信访办 none).
func unitStems(units []surface, tasks func(string) int) map[string]string {
	owner := map[string]string{}
	tied := map[string]bool{}
	for _, u := range units {
		if names.IsCollective(u.canon) {
			continue
		}
		for _, suf := range []string{"局", "委", "办", "中心", "办公室"} {
			stem, ok := strings.CutSuffix(u.text, suf)
			stem = strings.TrimPrefix(strings.TrimPrefix(stem, "市"), "区")
			if !ok || utf8.RuneCountInString(stem) < 2 {
				continue
			}
			o, dup := owner[stem]
			switch {
			case !dup:
				owner[stem] = u.canon
			case o == u.canon:
			case tasks(u.canon) > tasks(o):
				owner[stem], tied[stem] = u.canon, false
			case tasks(u.canon) == tasks(o):
				tied[stem] = true // two units alike: not a short form of either
			}
		}
	}
	for s := range tied {
		if tied[s] {
			delete(owner, s)
		}
	}
	return owner
}
