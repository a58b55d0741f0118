package handlers

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"duban/kb/textnorm"
)

// A tag is one recognised span of a folded question.
type tag struct {
	kind       tagKind
	start, end int    // byte offsets in the folded text
	value      string // the entry's value; for content, the text itself
	num        textnorm.Number
	conf       float64 // 1 for an exact surface, lower for guesses
}

// tagText splits a folded question into tags: numbers first (a task
// reference claims its 第 and 项), then the longest lexicon or gazetteer
// surface at each position; what nothing claims is content (kind tagNone)
// and becomes the topic. It is linear in len(s) times the longest surface.
func (g *gazetteer) tagText(s string) []tag {
	nums := textnorm.Numbers(s)
	var tags []tag
	var buf []match
	ni := 0
	contentFrom := -1
	flush := func(at int) {
		if contentFrom >= 0 && at > contentFrom {
			tags = append(tags, tag{kind: tagNone, start: contentFrom, end: at, value: s[contentFrom:at]})
		}
		contentFrom = -1
	}
	for i := 0; i < len(s); {
		for ni < len(nums) && nums[ni].End <= i {
			ni++
		}
		for ni < len(nums) && nums[ni].Start < i {
			ni++ // a surface ran into this number
		}
		if ni < len(nums) && nums[ni].Start == i && nums[ni].Kind != textnorm.Content {
			flush(i)
			n := nums[ni]
			tags = append(tags, tag{kind: tagNumber, start: n.Start, end: n.End, value: s[n.Start:n.End], num: n, conf: 1})
			i = n.End
			continue
		}
		// a surface may run into a quantity (这一块, 一把手) but never into a
		// reference or a date
		limit := len(s)
		if ni < len(nums) && nums[ni].Start > i && nums[ni].Kind != textnorm.Content && nums[ni].Kind != textnorm.Quantity {
			limit = nums[ni].Start
		}
		buf = g.trie.prefixes(s[i:limit], buf[:0])
		taken := false
		for k := len(buf) - 1; k >= 0; k-- {
			m := buf[k]
			if !wordBounded(s, i, i+m.end) {
				continue
			}
			flush(i)
			e := pick(m.e)
			tags = append(tags, tag{kind: e.kind, start: i, end: i + m.end, value: e.value, conf: 1})
			if e.weak {
				tags[len(tags)-1].conf = 0.5
			}
			if e.stem {
				tags[len(tags)-1].conf = 0.7
			}
			if e.word {
				tags[len(tags)-1].conf = 0.6
			}
			i += m.end
			taken = true
			break
		}
		if taken {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isSeparator(r) {
			flush(i)
		} else if contentFrom < 0 {
			contentFrom = i
		}
		i += size
	}
	flush(len(s))
	return g.unweak(s, tags)
}

// pick chooses among entries that share a surface: names before words,
// since a unit that is also a lexicon word (a town named 新区) is named.
func pick(es []entry) entry {
	best := es[0]
	for _, e := range es[1:] {
		if rank(e.kind) > rank(best.kind) {
			best = e
		}
	}
	return best
}

func rank(k tagKind) int {
	switch k {
	case tagPerson, tagUnit, tagTown:
		return 3
	case tagField, tagRole, tagStatus, tagTime, tagScope:
		return 2
	}
	return 1
}

// unweak turns a one-character particle back into content when content
// touches it on both sides (有 in 有机农业 is not a question word), and
// merges adjacent content.
func (g *gazetteer) unweak(s string, tags []tag) []tag {
	// two passes: a particle freed by one rule can free its neighbour under
	// the other (公管办: 办 ends an office, then 管 sits between content)
	for pass := 0; pass < 2; pass++ {
		for i := range tags {
			if tags[i].conf != 0.5 || tags[i].kind == tagNone || i == 0 || i == len(tags)-1 {
				continue
			}
			if tags[i-1].kind == tagNone && tags[i+1].kind == tagNone && tags[i-1].end == tags[i].start && tags[i].end == tags[i+1].start {
				tags[i].kind = tagNone
			}
		}
		// a one-character word after content is part of that content when
		// it is an office's last character (国咨办, 仁防办) or when the
		// documents write the two characters together (垃圾分类, not 社会保障类)
		for i := range tags {
			if tags[i].conf != 0.5 || tags[i].kind == tagNone || i == 0 {
				continue
			}
			// an office's last character after content and up to two
			// particles (公管办) makes them all one name
			if strings.Contains(orgSuffix, s[tags[i].start:tags[i].end]) {
				k := i - 1
				for k > 0 && i-k <= 2 && tags[k].conf == 0.5 && tags[k].kind != tagNone && tags[k].end == tags[k+1].start {
					k--
				}
				if tags[k].kind == tagNone && tags[k].end == tags[k+1].start {
					for m := k + 1; m <= i; m++ {
						tags[m].kind = tagNone
					}
				}
			}
			if tags[i-1].kind != tagNone || tags[i-1].end != tags[i].start {
				continue
			}
			w := s[tags[i].start:tags[i].end]
			last, _ := utf8.DecodeLastRuneInString(s[:tags[i].start])
			r, _ := utf8.DecodeRuneInString(w)
			if strings.Contains(orgSuffix, w) || !strings.ContainsRune(pureParticles, r) && g.bigrams[[2]rune{last, r}] {
				tags[i].kind = tagNone
			}
		}
	}
	out := tags[:0]
	for _, t := range tags {
		if t.kind == tagNone && len(out) > 0 && out[len(out)-1].kind == tagNone && out[len(out)-1].end == t.start {
			out[len(out)-1].end = t.end
			continue
		}
		out = append(out, t)
	}
	return out
}

// pureParticles never end a content word.
const pureParticles = "的了吗呢吧啊呀哈嘛么地得是和与及在由都要应该能请问我你您"

// wordBounded reports whether s[i:j] may be a surface: an ASCII word must
// not continue into letters on either side ("in" inside "informatization").
func wordBounded(s string, i, j int) bool {
	if isASCIILetter(s[i]) && i > 0 && isASCIILetter(s[i-1]) {
		return false
	}
	if isASCIILetter(s[j-1]) && j < len(s) && isASCIILetter(s[j]) {
		return false
	}
	return true
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isSeparator reports whether r ends a content span.
func isSeparator(r rune) bool {
	if r == '·' || r == '-' || r == '%' || r == '.' || r == '&' || r == '\'' {
		return false
	}
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r == '、' || r == '。'
}
