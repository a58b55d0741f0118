package ingest

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrefiltersNecessary: every line a prefiltered pattern matches passes
// its prefilter, over the lines of the seeds and the county fixtures and
// over lines generated from the patterns' own words; a prefilter that
// dropped a match would lose generality, not only time.
func TestPrefiltersNecessary(t *testing.T) {
	res := map[string]lineRe{"reNumTask": reNumTask, "reNumProgress": reNumProgress, "reHeading": reHeading, "reDocTitle": reDocTitle}
	var lines []string
	for _, dir := range []string{seedsDir(t), "testdata"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range strings.Split(string(b), "\n") {
				lines = append(lines, l, strings.TrimSpace(l))
			}
		}
	}
	words := []string{"进展情况", "推进情况", "进展", "工作进展", "：", ":", " ", "12", "3", ".", "．", "、", "一", "十", "（", "）", "第", "章", "专栏", "附件", "1",
		"方案", "措施", "通知", "分工", "纲要", "。", "，", "关于", "\t", "x"}
	rng := rand.New(rand.NewPCG(21, 7))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := rng.IntN(8); n > 0; n-- {
			b.WriteString(words[rng.IntN(len(words))])
		}
		lines = append(lines, b.String())
	}
	matched := map[string]int{}
	for _, l := range lines {
		for name, re := range res {
			if re.re.MatchString(l) {
				matched[name]++
				if !re.may(l) {
					t.Errorf("%s matches %q, its prefilter says no", name, l)
				}
			}
		}
	}
	for name := range res {
		if matched[name] < 10 {
			t.Errorf("%s matched only %d lines: the test proves little", name, matched[name])
		}
	}
}

// TestWordsLikeRegexp: a pattern of literal words matches, with strings
// functions, exactly what its regexp matches, on strings generated from
// its own words and their pieces; patterns that are not words keep the
// regexp.
func TestWordsLikeRegexp(t *testing.T) {
	pats := map[string]wordsRe{"reHdrCo": reHdrCo, "reHdrLeaders": reHdrLeaders, "reHdrUnits": reHdrUnits, "reHdrDeadline": reHdrDeadline,
		"reHdrProgress": reHdrProgress, "reHdrText": reHdrText, "reHdrOther": reHdrOther}
	rng := rand.New(rand.NewPCG(21, 9))
	for name, p := range pats {
		if p.words == nil {
			t.Errorf("%s is read as a regexp, not as words", name)
		}
		var pieces []string
		for _, a := range p.words {
			r := []rune(a.w)
			pieces = append(pieces, a.w, string(r[:1]), string(r[len(r)-1:]))
		}
		pieces = append(pieces, "县", " ", "(", "）", "a")
		for i := 0; i < 5000; i++ {
			var b strings.Builder
			for n := rng.IntN(5); n > 0; n-- {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			s := b.String()
			if got, want := p.MatchString(s), p.re.MatchString(s); got != want {
				t.Fatalf("%s on %q: words %v, regexp %v", name, s, got, want)
			}
		}
	}
	for _, expr := range []string{`^(?:序号|编号)$`, `a+|b`, `(?i)no|x`, `[一二]、`} {
		if w := words(expr); w.words != nil {
			t.Errorf("words(%q) read as words %+v", expr, w.words)
		}
	}
	if w := words(`牵头|^县领导$|配合$|\(配合\)`); len(w.words) != 4 || !w.words[1].start || !w.words[1].end || !w.words[2].end || w.words[3].w != "(配合)" {
		t.Errorf("anchors and escapes: %+v", w.words)
	}
}
