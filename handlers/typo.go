package handlers

import (
	"strings"
	"sync"

	"github.com/mozillazg/go-pinyin"
)

// homophoneAt is homophone that also returns the mistyped window of s.
// Readings are compared the way pinyin input methods forgive: every
// reading of a character with several (还: hai, huan), and the usual fuzzy
// pairs (in/ing, en/eng, an/ang, z/zh, c/ch, s/sh, l/n).
func (g *gazetteer) homophoneAt(s string) (string, tagKind, string, bool) {
	rs := []rune(s)
	if len(rs) < 3 || len(rs) > 24 {
		return "", 0, "", false
	}
	py := make([][]string, len(rs))
	for i, r := range rs {
		py[i] = runeReadings(r)
	}
	for n := min(len(rs), 14); n >= 3; n-- {
		for i := 0; i+n <= len(rs); i++ {
			// most windows end in no known name's last sound: skip them
			// before building their keys
			if !g.endsLikeName(n, py[i+n-1]) {
				continue
			}
			for _, key := range readingKeys(py[i : i+n]) {
				for _, c := range g.sounds[key] {
					k := diffAt([]rune(c.text), rs[i:i+n])
					// a particle at the edge is a word after a name (研究是),
					// inside a name it is a slip (应及管理局)
					if k < 0 || (k == 0 || k == n-1) && g.particle[rs[i+k]] {
						continue
					}
					return c.canon, c.kind, string(rs[i : i+n]), true
				}
			}
		}
	}
	return "", 0, "", false
}

// readingKeys are the sound keys of a window: one per combination of the
// readings of its characters, at most 8.
func readingKeys(py [][]string) []string {
	keys := []string{""}
	for i, rd := range py {
		var next []string
		for _, k := range keys {
			for j, r := range rd {
				if j > 0 && len(next) >= 8 {
					break
				}
				if i > 0 {
					next = append(next, k+" "+r)
				} else {
					next = append(next, r)
				}
			}
		}
		keys = next
	}
	return keys
}

// readingCache remembers runeReadings: questions reuse few characters.
var readingCache sync.Map // rune → []string

// runeReadings are r's fuzzy readings, the first one first.
func runeReadings(r rune) []string {
	if v, ok := readingCache.Load(r); ok {
		return v.([]string)
	}
	out := readings(r)
	readingCache.Store(r, out)
	return out
}

func readings(r rune) []string {
	if r < 0x3400 {
		return []string{string(r)}
	}
	var out []string
	for _, p := range pinyin.SinglePinyin(r, heteronymArgs) {
		f := fuzzyPinyin(p)
		if !hasName(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return []string{string(r)}
	}
	return out
}

var heteronymArgs = func() pinyin.Args { a := pinyin.NewArgs(); a.Heteronym = true; return a }()

// fuzzyPinyin folds the readings a pinyin input method treats alike.
func fuzzyPinyin(p string) string {
	for _, x := range [][2]string{{"zh", "z"}, {"ch", "c"}, {"sh", "s"}} {
		if strings.HasPrefix(p, x[0]) {
			p = x[1] + p[len(x[0]):]
		}
	}
	if strings.HasPrefix(p, "n") {
		p = "l" + p[1:]
	}
	if strings.HasSuffix(p, "ng") {
		p = p[:len(p)-1]
	}
	return p
}

// endsLikeName reports whether some known name of n characters ends in one
// of the readings rd.
func (g *gazetteer) endsLikeName(n int, rd []string) bool {
	for _, r := range rd {
		if g.soundEnds[soundEnd{n, r}] {
			return true
		}
	}
	return false
}

type soundEnd struct {
	n    int
	last string
}

// A sound is a known name by its pinyin.
type sound struct {
	text, canon string
	kind        tagKind
}

// runePinyin is r's first fuzzy reading: names are indexed by it.
func runePinyin(r rune) string {
	if r < 0x3400 {
		return string(r)
	}
	p := pinyin.SinglePinyin(r, pinyinArgs)
	if len(p) == 0 {
		return string(r)
	}
	return fuzzyPinyin(p[0])
}

var pinyinArgs = pinyin.NewArgs()

// diffAt returns where a and b differ when they differ in exactly one
// rune, else -1.
func diffAt(a, b []rune) int {
	if len(a) != len(b) {
		return -1
	}
	at := -1
	for i := range a {
		if a[i] != b[i] {
			if at >= 0 {
				return -1
			}
			at = i
		}
	}
	return at
}

// addSounds indexes every unit and person name of three or more
// characters by its pinyin.
func (g *gazetteer) addSounds() {
	g.sounds = map[string][]sound{}
	g.soundEnds = map[soundEnd]bool{}
	add := func(ss []surface, k tagKind) {
		for _, s := range ss {
			rs := []rune(s.text)
			if len(rs) < 3 || rs[0] < 0x3400 {
				continue
			}
			py := make([]string, len(rs))
			for i, r := range rs {
				py[i] = runePinyin(r)
			}
			key := strings.Join(py, " ")
			g.sounds[key] = append(g.sounds[key], sound{s.text, s.canon, k})
			g.soundEnds[soundEnd{len(rs), py[len(py)-1]}] = true
		}
	}
	add(g.units, tagUnit)
	add(g.persons, tagPerson)
}
