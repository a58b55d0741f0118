package questiongen

import (
	"strings"
	"unicode"

	"duban/kb/names"
)

// The perturbation classes. Each keeps the meaning of the question, so
// the expected answer does not change.
const (
	PBase        = "base"
	PPolite      = "polite"      // 请问…, 麻烦问下…
	PMention     = "mention"     // @督办 …
	PSuffix      = "suffix"      // …，谢谢
	PFiller      = "filler"      // 嗯那个…啊
	PNumeralCN   = "numeral_cn"  // 第七十六项
	PNumeralFW   = "numeral_fw"  // 第７６项
	PRefForm     = "ref_form"    // 76号任务, 任务76, No.76
	PFullWidth   = "fullwidth"   // the whole question typed in full-width mode
	PTypo        = "typo"        // one homophone character wrong in the unit name
	PSynonym     = "synonym"     // a unit alias or a question word from the same lexicon row
	PTraditional = "traditional" // 繁體
	PNoPunct     = "no_punct"    // punctuation and spaces dropped
	PEnglish     = "english"     // the English template
	PClause      = "clause"      // the reference set off first: 76号那项，谁牵头
	PCombo       = "combo"       // several of the above at once
	PShortUnit   = "short_unit"  // a unit by its stem, as said aloud: 城管, 人社, 发改
)

// Classes lists the perturbation classes in report order.
var Classes = []string{PBase, PPolite, PMention, PSuffix, PFiller, PNumeralCN, PNumeralFW,
	PRefForm, PFullWidth, PTypo, PSynonym, PTraditional, PNoPunct, PEnglish, PClause, PCombo, PShortUnit}

var (
	politePrefixes = []string{"请问", "请问一下，", "麻烦问下", "帮我查一下", "你好，", "打扰一下，", "我想问下", "领导让我问下，"}
	mentions       = []string{"@督办 ", "@督办助手 ", "@督办小助手 "}
	suffixes       = []string{"，谢谢", "？谢谢！", "，辛苦了", "呢？", "，急", "，多谢", "？？", "，麻烦了"}
	fillerFront    = []string{"嗯，", "那个，", "嗯那个", "麻烦看下", "哎，", "就是那个"}
	fillerBack     = []string{"啊", "哈", "呀", "来着", "啊？"}
)

// perturb renders d as its base question and under every perturbation that
// changes it; a perturbation that leaves the text as it was is skipped.
func (g *gen) perturb(d draft) []Case {
	base := d.render(style{})
	mk := func(class, q string) Case {
		c := d.exp
		c.Kind, c.Template, c.Perturb, c.Base, c.Q = d.kind, d.template, class, base, q
		return c
	}
	out := []Case{mk(PBase, base)}
	add := func(class, q string) {
		if q != "" && q != base {
			out = append(out, mk(class, q))
		}
	}
	add(PPolite, pick(g, politePrefixes)+base)
	add(PMention, pick(g, mentions)+base)
	add(PSuffix, base+pick(g, suffixes))
	add(PFiller, pick(g, fillerFront)+base+pick(g, fillerBack))
	if d.numberStyled(style{}) {
		add(PNumeralCN, d.render(style{numeral: chineseDigits}))
		add(PNumeralFW, d.render(style{numeral: fullWidthDigits}))
	} else if !strings.Contains(d.zh, "{ref}") {
		// A number inside the content (65周岁, 第二阶段 aside) written in
		// words or full-width means the same.
		add(PNumeralCN, chineseContent(base))
		add(PNumeralFW, fullWidthDigitsOnly(base))
	}
	if len(d.refs) > 1 && strings.Contains(d.zh, "{ref}") {
		add(PRefForm, d.render(style{ref: 1 + g.rnd.IntN(len(d.refs)-1)}))
	}
	if strings.ContainsFunc(base, func(r rune) bool { return r < 0x7f }) {
		add(PFullWidth, FullWidth(base))
	}
	if d.unit != "" {
		if t := g.typo(d.unit); t != "" {
			add(PTypo, d.render(style{unit: func(string) string { return t }}))
		}
	}
	add(PSynonym, g.synonym(d, base))
	if d.unit != "" {
		if s := g.shortUnit(d.unit); s != "" {
			add(PShortUnit, d.render(style{unit: func(string) string { return s }}))
		}
	}
	add(PTraditional, Traditional(base))
	// Dropped punctuation shows only where there was some: around a
	// polite frame.
	add(PNoPunct, noPunct(pick(g, politePrefixes)+base+pick(g, suffixes)))
	if d.en != "" {
		add(PEnglish, d.renderEN())
	}
	if strings.HasPrefix(d.zh, "{ref}") {
		rest := strings.TrimPrefix(d.zh, "{ref}")
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "的"), "是")
		c := d
		c.zh = pick(g, clauseFrames) + rest
		add(PClause, c.render(style{ref: g.rnd.IntN(len(d.refs))}))
	}
	add(PCombo, g.combo(d, base))
	return out
}

// clauseFrames set the reference off before the question, as officials
// type when they paste a number first and ask after.
var clauseFrames = []string{"{ref}那项，", "{ref}这个任务，", "关于{ref}，", "{ref} "}

// combo applies a polite or filler frame, a numeral style and, at random,
// traditional characters or dropped punctuation, all at once.
func (g *gen) combo(d draft, base string) string {
	s := style{}
	if d.numberStyled(s) {
		s.numeral = []int{arabic, fullWidthDigits, chineseDigits}[g.rnd.IntN(3)]
	}
	q := d.render(s)
	q = pick(g, append(politePrefixes, fillerFront...)) + q + pick(g, append(suffixes, fillerBack...))
	switch g.rnd.IntN(3) {
	case 0:
		q = Traditional(q)
	case 1:
		q = noPunct(q)
	}
	if q == base {
		return ""
	}
	return q
}

// noPunct drops punctuation and spaces, as a hurried typist does.
func noPunct(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// fullWidthDigitsOnly writes the digits of s full-width and leaves the
// rest, as an input method in full-width number mode does.
func fullWidthDigitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r - '0' + '０'
		}
		return r
	}, s)
}

// shortUnit returns unit u without its kind (城管局 → 城管, 发改委 → 发改)
// when the stem names no other unit: no other unit's name starts with it
// and it is no name itself. "" otherwise.
func (g *gen) shortUnit(u string) string {
	stem, kind := splitUnit(u)
	// Only a two-character stem of a bureau, commission or office is said
	// alone (人社, 发改, 城管); 交易中心 is not 交易.
	if len([]rune(stem)) != 2 || kind == "中心" || g.knownName(stem) {
		return ""
	}
	for _, o := range g.allUnitNames() {
		if o != u && strings.HasPrefix(o, stem) && names.Unit(o) != names.Unit(u) {
			return ""
		}
	}
	return stem
}
