package handlers

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
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
