package questiongen_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"duban/handlers/questiongen"
)

// TestGenerateDeterministic: the same seed gives the same suite, another
// seed other random choices over the same drafts.
func TestGenerateDeterministic(t *testing.T) {
	b, _ := seeds(t)
	a1 := questiongen.Generate(b, questiongen.Options{Seed: 7, Every: 5})
	a2 := questiongen.Generate(b, questiongen.Options{Seed: 7, Every: 5})
	if !reflect.DeepEqual(a1, a2) {
		t.Fatal("Generate with one seed gave two suites")
	}
	c := questiongen.Generate(b, questiongen.Options{Seed: 8, Every: 5})
	if reflect.DeepEqual(a1, c) {
		t.Error("Generate with two seeds gave one suite")
	}
}

// TestGenerateCoverage: thousands of questions, every record kind and
// perturbation class present, and every case checkable: it expects
// something, and its base case's expectation is its own.
func TestGenerateCoverage(t *testing.T) {
	b, _ := seeds(t)
	cases := questiongen.Generate(b, questiongen.Options{Now: testNow})
	if len(cases) < 5000 {
		t.Errorf("Generate made %d questions, want thousands", len(cases))
	}
	kinds := map[string]bool{}
	classes := map[string]bool{}
	base := map[string]questiongen.Case{}
	for _, c := range cases {
		kinds[c.Kind] = true
		classes[c.Perturb] = true
		if len(c.Must)+len(c.Any)+len(c.ExpectNos) == 0 && !c.NotFound {
			t.Errorf("%s %q expects nothing", c.Template, c.Q)
		}
		if c.Perturb == questiongen.PBase {
			if c.Q != c.Base {
				t.Errorf("base case %q has base %q", c.Q, c.Base)
			}
			base[c.Template+"|"+c.Base] = c
			continue
		}
		if c.Q == c.Base {
			t.Errorf("%s %q is its unperturbed question", c.Perturb, c.Q)
		}
		if bc, ok := base[c.Template+"|"+c.Base]; ok && !slices.Equal(bc.Must, c.Must) {
			t.Errorf("%s %q expects %v, its base %v", c.Perturb, c.Q, c.Must, bc.Must)
		}
	}
	for _, k := range []string{"key_tasks", "people_projects", "nantong_2019", "measures_2019",
		"leader", "indicator", "box", "quota", "member", "list", "count"} {
		if !kinds[k] {
			t.Errorf("no question about %s", k)
		}
	}
	for _, c := range questiongen.Classes {
		if !classes[c] {
			t.Errorf("no question under perturbation %s", c)
		}
	}
}

func TestChineseNumerals(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{1, "一"}, {10, "十"}, {12, "十二"}, {20, "二十"}, {76, "七十六"}, {100, "一百"},
		{103, "一百零三"}, {110, "一百一十"}, {173, "一百七十三"}, {1005, "一千零五"}, {2020, "二千零二十"},
	}
	for _, tt := range tests {
		if got := questiongen.Chinese(tt.n); got != tt.want {
			t.Errorf("Chinese(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	// Round trip over every number a table can hold.
	for n := 1; n < 10000; n++ {
		if got, ok := questiongen.ParseChinese(questiongen.Chinese(n)); !ok || got != n {
			t.Fatalf("ParseChinese(Chinese(%d)) = %d, %v", n, got, ok)
		}
	}
}

func TestFullWidthAndTraditional(t *testing.T) {
	if got := questiongen.FullWidth("No.76 task?"); got != "Ｎｏ．７６\u3000ｔａｓｋ？" {
		t.Errorf("FullWidth = %q", got)
	}
	if got := questiongen.Norm(questiongen.FullWidth("No.76")); got != "no.76" {
		t.Errorf("Norm(FullWidth) = %q, want the half-width text back", got)
	}
	for s, want := range map[string]string{
		"请问实事第8项谁牵头": "請問實事第8項誰牽頭",
		"交通局联系哪些镇":   "交通局聯繫哪些鎮",
		"沈旭东的分管领导":   "沈旭東的分管領導",
	} {
		if got := questiongen.Traditional(s); got != want {
			t.Errorf("Traditional(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestMentionedNumbers follows the public scorer: quantities and years
// are not task numbers, 第-prefixed ones are.
func TestMentionedNumbers(t *testing.T) {
	got := questiongen.MentionedNumbers("第76项 新增停车泊位420个，2020年12月底前；第七十七项；#5")
	var nos []int
	for n := range got {
		nos = append(nos, n)
	}
	slices.Sort(nos)
	if want := []int{5, 76, 77}; !slices.Equal(nos, want) {
		t.Errorf("MentionedNumbers = %v, want %v", nos, want)
	}
}

func TestCheck(t *testing.T) {
	c := questiongen.Case{Must: []string{"周国强"}, Any: [][]string{{"住建局", "住房和城乡建设局"}}, MustNot: []string{"沈旭东"}}
	if why := questiongen.Check(c, "牵头领导：周 国 强；牵头单位：住房和城乡建设局", false); len(why) != 0 {
		t.Errorf("Check of a right answer: %v", why)
	}
	why := questiongen.Check(c, "牵头领导：沈旭东；牵头单位：政府办", false)
	if len(why) != 3 || !strings.HasPrefix(why[0], "missing") {
		t.Errorf("Check of a wrong answer: %v", why)
	}
	nf := questiongen.Case{NotFound: true}
	if why := questiongen.Check(nf, "第300项：未找到", false); len(why) != 0 {
		t.Errorf("not-found answer failed: %v", why)
	}
	if why := questiongen.Check(nf, "牵头领导：沈旭东", false); len(why) == 0 {
		t.Error("an answer that found something passed as not found")
	}
}

// TestNegativeMutantsAbsent: every entity the negative suite invents is in
// no passage and no record of the documents, so "not found" is the only
// right answer.
func TestNegativeMutantsAbsent(t *testing.T) {
	b, _ := seeds(t)
	c := b.Contents()
	var all strings.Builder
	for _, p := range c.Passages {
		all.WriteString(p.Text + "\n")
	}
	for _, r := range c.Records {
		all.WriteString(r.Text + "\n" + strings.Join(r.LeadUnits, "|") + "|" + strings.Join(r.CoUnits, "|") + "\n")
	}
	corpus := all.String()
	for _, nc := range questiongen.Negative(b, questiongen.Options{Seed: 1}) {
		for _, x := range nc.Named {
			if i := strings.Index(corpus, x); i >= 0 {
				t.Errorf("%s: mutant %q occurs in the documents: …%s…", nc.Template, x, corpus[max(i-30, 0):min(i+30, len(corpus))])
			}
			if slices.Contains(b.Units(), x) || slices.Contains(b.Persons(), x) {
				t.Errorf("%s: mutant %q is a known name", nc.Template, x)
			}
		}
	}
}
