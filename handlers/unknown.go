package handlers

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
)

// orgSuffix are the last characters of an office's name: a topic ending
// in one of them names an office.
const orgSuffix = "局委办院部队所站会司团馆处厅中心"

// unknownUnits reads the topic for names the documents do not have. A
// name that sounds like a known one with one character typed wrong
// (交通居, 周国墙: a typing slip in a pinyin IME) is that name and joins
// the frame's units or persons; a name shaped like an office that no
// document has (档案局, 水务局) is unknown, and the bot must not answer
// for a similar real one.
func (h *Handler) unknownUnits(f *Frame) []string {
	var unknown []string
	var topic []string
	// a mistyped name may have been cut by a particle it holds (应及管理局:
	// 应 and 及 are particles), so runs of content and one-character
	// particles are read whole
	var typed []string
	for _, run := range softRuns(f) {
		if c, kind, w, ok := h.g.homophoneAt(run); ok {
			run = w
			f.Corrected = append(f.Corrected, w+"→"+c)
			if kind == tagPerson {
				f.Persons = appendName(f.Persons, c)
			} else {
				f.Units = appendName(f.Units, c)
			}
			typed = append(typed, run)
		}
	}
	for _, t := range f.Topic {
		if inAny(typed, t) {
			continue
		}
		for _, w := range typed {
			t = strings.TrimSpace(strings.ReplaceAll(t, w, ""))
		}
		if t == "" {
			continue
		}
		if c := h.g.shortFormOf(t); c != "" {
			f.Units = appendName(f.Units, c) // 海鸿集团 for 江苏海鸿投资控股集团有限公司
			continue
		}
		topic = append(topic, t)
		// 公管办牵头哪些任务 asks for a unit's tasks: a name no record has
		// as a unit is unknown even if a text mentions it; 某某站谁牵头 asks
		// about a thing, which a text mentioning it may answer
		subject := (f.List || f.Count) && f.fields&fWho == 0
		if len(f.Units) == 0 && looksLikeOffice(t) && (subject || !h.mentioned(t)) && (f.List || f.Count || f.has(tagRole) || f.fields&(fUnit|fLeader|fWho) != 0) {
			unknown = append(unknown, t)
		}
	}
	if len(topic) != len(f.Topic) {
		f.Topic = topic
	}
	return unknown
}

// softRuns are the stretches of a question made of content and
// one-character particles only.
func softRuns(f *Frame) []string {
	var out []string
	from, to := -1, -1
	for _, t := range f.tags {
		soft := t.kind == tagNone || t.conf == 0.5 || t.kind == tagGeneric || t.kind == tagQWord
		if soft && from >= 0 && t.start == to {
			to = t.end
			continue
		}
		if from >= 0 {
			out = append(out, f.Text[from:to])
			from = -1
		}
		if soft {
			from, to = t.start, t.end
		}
	}
	if from >= 0 {
		out = append(out, f.Text[from:to])
	}
	return out
}

func inAny(xs []string, s string) bool {
	for _, x := range xs {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

// shortFormOf returns the one unit whose name holds every character of s
// in order (海鸿集团 in 江苏海鸿投资控股集团有限公司): officials shorten a
// registered company name that way. Two or more such units: none.
func (g *gazetteer) shortFormOf(s string) string {
	rs := []rune(s)
	if len(rs) < 4 || !looksLikeOffice(s) {
		return ""
	}
	found := ""
	for _, u := range g.units {
		if len([]rune(u.text)) <= len(rs) || !subsequence(rs, u.text) {
			continue
		}
		if found != "" && found != u.canon {
			return ""
		}
		found = u.canon
	}
	return found
}

func subsequence(rs []rune, s string) bool {
	i := 0
	for _, r := range s {
		if i < len(rs) && rs[i] == r {
			i++
		}
	}
	return i == len(rs)
}

// looksLikeOffice reports whether a topic span is an office's name.
func looksLikeOffice(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 10 || strings.ContainsAny(s, " 0123456789") {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(orgSuffix, r) || strings.HasSuffix(s, "中心")
}

// mentioned reports whether any record or passage contains s: a name the
// documents use is not unknown even when no record has it as a unit.
func (h *Handler) mentioned(s string) bool {
	return strings.Contains(h.pre.corpus, wordsOnly(s))
}

// homophone finds a known name that sounds like a window of s with one
// character different: the slip a pinyin IME makes.
func (g *gazetteer) homophone(s string) (string, tagKind, bool) {
	c, k, _, ok := g.homophoneAt(s)
	return c, k, ok
}

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

func diffRunes(a, b []rune) int {
	if len(a) != len(b) {
		return -1
	}
	d := 0
	for i := range a {
		if a[i] != b[i] {
			d++
		}
	}
	return d
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

// unknown answers a question about a name no document has: it says so and
// offers at most three known names that look alike, without answering for
// any of them.
func (h *Handler) unknown(q *query) (Reply, bool) {
	name := q.f.Unknown[0]
	cands := h.g.lookAlikes(name, 3)
	rep := Reply{Intent: IntentNotFound, NotFound: true}
	if q.en {
		rep.Head = fmt.Sprintf("Not found: no loaded document names \"%s\".", name)
		if len(cands) > 0 {
			rep.Lines = []string{"Did you mean " + strings.Join(cands, ", ") + "?"}
		}
		return rep, true
	}
	rep.Head = fmt.Sprintf("未找到“%s”：已载入的文件中没有这个单位。", name)
	if len(cands) > 0 {
		rep.Lines = []string{"您要问的是不是" + strings.Join(cands, "、") + "？"}
	}
	return rep, true
}

// lookAlikes are up to n canonical unit names sharing the most characters
// with name, ignoring its office suffix.
func (g *gazetteer) lookAlikes(name string, n int) []string {
	type cand struct {
		canon string
		score int
	}
	core := strings.TrimRight(name, orgSuffix)
	best := map[string]int{}
	for _, s := range g.units {
		sc := 0
		for _, r := range core {
			if strings.ContainsRune(s.text, r) {
				sc++
			}
		}
		if sc > best[s.canon] {
			best[s.canon] = sc
		}
	}
	var cs []cand
	for c, sc := range best {
		if sc >= 1 && sc*2 >= utf8.RuneCountInString(core) {
			cs = append(cs, cand{c, sc})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].score != cs[j].score {
			return cs[i].score > cs[j].score
		}
		return cs[i].canon < cs[j].canon
	})
	var out []string
	for _, c := range cs {
		if len(out) == n {
			break
		}
		out = append(out, c.canon)
	}
	return out
}
