package handlers

import (
	"strings"
	"unicode/utf8"
)

// distinctRuns are the stretches of a question that name its thing: its
// content together with the question words wedged in or standing right
// before it (单位地区覆盖率, 进度模式) or, for a question word, after
// content (高新技术完成率). A record or an
// indicator answers only if it holds such a run as a phrase, not merely
// its pieces: a name glued from two real ones is in no document.
func distinctRuns(f *Frame) []string {
	all, _ := runsOf(f)
	return all
}

// gluedRuns are the distinct runs that hold a question word (进度模式):
// the question word is part of the name only if a text holds the run in
// one piece.
func gluedRuns(f *Frame) []string {
	_, glued := runsOf(f)
	return glued
}

func runsOf(f *Frame) (out, glued []string) {
	from, last, to := -1, -1, -1
	content, asked := 0, false
	flush := func() {
		if from >= 0 && last > from && content >= 2 {
			out = append(out, f.Text[from:last])
			if asked {
				glued = append(glued, f.Text[from:last])
			}
		}
		from, last, to, content, asked = -1, -1, -1, 0, false
	}
	prev := tagFiller
	for _, t := range f.tags {
		if from >= 0 && t.start != to {
			flush() // a quote or a space ends a run
		}
		// a field word counts before the content (进度模式), not after it
		// nor after another question word (…的完成时限是什么时候)
		asking := prev == tagField || prev == tagQWord || prev == tagRole || prev == tagCount || prev == tagList
		afterContent := (prev == tagNone || prev == tagSyn) && last == t.start
		prev = t.kind
		inner := t.kind == tagNone || t.kind == tagSyn || t.kind == tagStatus || t.kind == tagGeneric || t.conf == 0.5 && from >= 0 ||
			t.kind == tagField && last < 0 && (from >= 0 || !asking) ||
			t.kind == tagQWord && afterContent // 完成 in 高新技术完成率
		if !inner {
			flush()
			continue
		}
		if from < 0 {
			from = t.start
		}
		if t.kind == tagField || t.kind == tagStatus || t.kind == tagQWord && t.conf == 1 {
			asked = true
		}
		to = t.end
		if t.kind == tagGeneric && afterContent {
			last = t.end // the noun of a name: 中天钢铁项目
		}
		if t.kind == tagNone || t.kind == tagSyn {
			last = t.end
			content += utf8.RuneCountInString(f.Text[t.start:t.end])
		}
	}
	flush()
	return out, glued
}

// holdsPhrase reports whether text holds run as a phrase: two thirds of it,
// by the weight of its characters (a rare character tells more than 的),
// in pairs of characters that stand close together in the text, as an
// official's paraphrase does (残疾人家庭无障碍改造 for 残疾人家庭免费进行无障碍
// 改造). A name glued from two real ones has its pairs far apart.
func (h *Handler) holdsPhrase(run, text string) bool { return h.holdsPhraseBy(run, text, true) }

// holdsPhraseBy is holdsPhrase; singles says whether a character of the
// run found alone near its pairs counts.
func (h *Handler) holdsPhraseBy(run, text string, singles bool) bool {
	rs := []rune(wordsOnly(run))
	if len(rs) < 4 || isASCII(string(rs)) {
		return true // English words are not the documents' phrases
	}
	// a question typed without punctuation still names 七五普法 (“七五”普法)
	text = wordsOnly(text)
	ws := make([]float64, len(rs))
	total := 0.0
	for i, r := range rs {
		ws[i] = h.charWeight(r)
		total += ws[i]
	}
	if strings.Contains(text, string(rs)) {
		return true
	}
	// No window holds a pair the whole text lacks, nor more weight than the
	// whole text could give: most records fail here, before any window.
	pairIn := make([]bool, len(rs))
	for i := 0; i+1 < len(rs); i++ {
		pairIn[i] = strings.Contains(text, string(rs[i:i+2]))
	}
	bound := 0.0
	for i, r := range rs {
		if pairIn[i] || i > 0 && pairIn[i-1] || singles && strings.ContainsRune(text, r) {
			bound += ws[i]
		}
	}
	if bound < total*2/3 {
		return false
	}
	tr := []rune(text)
	width := 2*len(rs) + 4
	covered := make([]bool, len(rs))
	for s := 0; s+1 < len(tr); s++ {
		if !strings.ContainsRune(run, tr[s]) {
			continue // a window starts on a character of the run
		}
		win := string(tr[s:min(len(tr), s+width)])
		clear(covered)
		for i := 0; i+1 < len(rs); i++ {
			if pairIn[i] && strings.Contains(win, string(rs[i:i+2])) {
				covered[i], covered[i+1] = true, true
			}
		}
		got := 0.0
		for i, c := range covered {
			if c {
				got += ws[i]
			} else if singles && strings.ContainsRune(win, rs[i]) {
				// 钢 of 中天钢铁项目 in 中天绿色精品钢项目: a character next
				// to a held pair counts in full, elsewhere half
				if i > 0 && covered[i-1] || i+1 < len(rs) && covered[i+1] {
					got += ws[i]
				} else {
					got += ws[i] / 2
				}
			}
		}
		if got >= total*2/3 {
			return true
		}
	}
	return false
}

// heldPiece is the largest share of run, by the weight of its characters
// and by their number (the lesser), that text holds in one piece.
func (h *Handler) heldPiece(run, text string) float64 {
	rs := []rune(wordsOnly(run))
	text = wordsOnly(text)
	total, best := 0.0, 0.0
	for _, r := range rs {
		total += h.charWeight(r)
	}
	bestLen := 0
	for i := range rs {
		got := 0.0
		j := i + 1
		for ; j <= len(rs) && containsGapped(text, rs[i:j]); j++ {
			got += h.charWeight(rs[j-1])
		}
		best, bestLen = max(best, got), max(bestLen, j-1-i)
	}
	if total == 0 {
		return 1
	}
	return min(best/total, float64(bestLen)/float64(len(rs)))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// holdsRuns reports whether text holds every distinct run of the question;
// a run holding a question word (进度模式) needs its pairs, not characters
// found alone.
func (h *Handler) holdsRuns(runs []string, text string) bool {
	for _, r := range runs {
		if !h.holdsPhrase(r, text) {
			return false
		}
	}
	return true
}

// holdsGlued reports whether text holds every glued run by its pairs.
func (h *Handler) holdsGlued(runs []string, text string) bool {
	for _, r := range runs {
		if !h.holdsPhraseBy(r, text, false) {
			return false
		}
	}
	return true
}

// namesOther reports whether text names a unit or person the question
// does not: a passage offered when nothing matched must state no fact about
// an entity the official did not ask about.
func (h *Handler) namesOther(f *Frame, text string) bool {
	if f.fields&(fWho|fLeader|fUnit|fWhichUnit|fCo) == 0 {
		return false // a passage read for what it says, not who does it
	}
	if h.quotes(f, text) {
		return false
	}
	for _, t := range h.g.tagText(text) {
		if t.conf != 1 {
			continue
		}
		switch t.kind {
		case tagUnit:
			if !anyIn(f.Units, []string{t.value}) && !anyIn(f.Towns, []string{t.value}) {
				return true
			}
		case tagPerson:
			if !anyIn(f.Persons, []string{t.value}) {
				return true
			}
		}
	}
	return false
}

// holdsPieces reports whether text holds two thirds of every distinct run
// in one piece: a target is asked of a quantity by its name (高新技术覆盖率),
// which a task near its words (高新技术企业…全覆盖) does not state.
func (h *Handler) holdsPieces(runs []string, text string) bool {
	for _, r := range runs {
		if utf8.RuneCountInString(r) >= 4 && !isASCII(r) && h.heldPiece(r, text) < 2.0/3-1e-9 {
			return false
		}
	}
	return true
}

// containsGapped reports whether text holds rs, allowing one insertion of
// up to two characters (执业（助理）医师数 for 执业医师数): a name's short
// qualifier, never a second name glued on.
func containsGapped(text string, rs []rune) bool {
	if strings.Contains(text, string(rs)) {
		return true
	}
	tr := []rune(text)
	for k := 1; k < len(rs); k++ {
		head, tail := string(rs[:k]), string(rs[k:])
		for p := 0; p+k <= len(tr); p++ {
			if string(tr[p:p+k]) != head {
				continue
			}
			for gap := 1; gap <= 2; gap++ {
				at := p + k + gap
				if at+len(rs)-k <= len(tr) && string(tr[at:at+len(rs)-k]) == tail {
					return true
				}
			}
		}
	}
	return false
}

// quotes reports whether text holds each distinct run of the question
// nearly whole: a passage that quotes the question's phrase.
func (h *Handler) quotes(f *Frame, text string) bool {
	for _, r := range distinctRuns(f) {
		if h.heldPiece(r, text) < 0.8 {
			return false
		}
	}
	return true
}
