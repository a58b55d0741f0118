package handlers

import (
	"strings"
	"unicode"

	"duban/kb"
	"duban/kb/textnorm"
)

// precomputed holds what every question would otherwise recompute from
// the knowledge base: analyzer terms of indicator names and 专栏 titles,
// and the 目标任务 paragraphs of the action plans.
type precomputed struct {
	indTerms [][]string // per Contents().Indicators, synonyms folded
	boxTerms [][]string // per Contents().Boxes
	goals    []goalPassage
	corpus   string           // every record's and passage's text, for "is this name mentioned"
	sections []string         // every record section heading
	targeted []int            // records with dated targets
	bigrams  map[[2]rune]bool // every pair of adjacent Han characters of the documents
	indVocab map[string]bool  // every term of an indicator's name or category
	dutyText string           // every duty's topic and text
}

// A goalPassage is a paragraph under a plan's 目标 heading.
type goalPassage struct {
	p   kb.Passage
	top string // the plan's title
}

func precompute(b *kb.Base) precomputed {
	c := b.Contents()
	var pre precomputed
	var dt strings.Builder
	for _, d := range c.Duties {
		dt.WriteString(d.Topic + d.Text + "\n")
	}
	pre.dutyText = dt.String()
	pre.indVocab = map[string]bool{}
	for _, ind := range c.Indicators {
		pre.indTerms = append(pre.indTerms, b.Terms(indicatorSynonyms.Replace(strings.ToLower(ind.Name))))
		for _, t := range b.Terms(indicatorSynonyms.Replace(strings.ToLower(ind.Name)) + " " + ind.Category) {
			pre.indVocab[t] = true
		}
	}
	for _, bx := range c.Boxes {
		pre.boxTerms = append(pre.boxTerms, b.Terms(bx.Title))
	}
	for i, r := range c.Records {
		if len(r.Targets) > 0 {
			pre.targeted = append(pre.targeted, i)
		}
	}
	seenSec := map[string]bool{}
	for _, r := range c.Records {
		if r.Section != "" && !seenSec[r.Section] {
			seenSec[r.Section] = true
			pre.sections = append(pre.sections, r.Section)
		}
	}
	var all strings.Builder
	for _, r := range c.Records {
		all.WriteString(r.Section + r.Text + "\n")
	}
	for _, p := range c.Passages {
		all.WriteString(p.Text + "\n")
	}
	pre.corpus = wordsOnly(textnorm.Fold(all.String()))
	pre.bigrams = map[[2]rune]bool{}
	var prev rune
	for _, r := range pre.corpus {
		if prev >= 0x4e00 && r >= 0x4e00 {
			pre.bigrams[[2]rune{prev, r}] = true
		}
		prev = r
	}
	for _, p := range c.Passages {
		top, sub, ok := strings.Cut(p.Heading, " › ")
		if ok && strings.Contains(sub, "目标") && p.Text != sub {
			pre.goals = append(pre.goals, goalPassage{p: p, top: top})
		}
	}
	return pre
}

// wordsOnly drops punctuation and spaces, so a name the documents quote
// (“e警务”便民服务站) is found as officials type it.
func wordsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		if unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, s)
}
