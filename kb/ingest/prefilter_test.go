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
	for i := 0; i < 50000; i++ {
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
