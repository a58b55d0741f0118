package handlers

import (
	"slices"
	"strings"
	"testing"
	"time"

	"duban/kb"
)

func fixtureHandler(t testing.TB) *Handler {
	return New(fixtureBase(t), Config{Now: func() time.Time { return time.Date(2020, 8, 20, 9, 0, 0, 0, kb.Location) }})
}

func TestLexiconLoads(t *testing.T) {
	if lexiconErr != nil {
		t.Fatal(lexiconErr)
	}
	if len(lexicon) < 300 {
		t.Errorf("lexicon has %d rows, want the embedded files' 300+", len(lexicon))
	}
}

// TestFrame reads questions into frames: what each names and asks, and
// that fillers and question words never become the topic.
func TestFrame(t *testing.T) {
	h := fixtureHandler(t)
	tests := []struct {
		q       string
		refs    []int
		units   []string
		persons []string
		fields  field
		topic   []string
	}{
		{"1号任务谁牵头", []int{1}, nil, nil, fLeader | fUnit, nil},
		{"嗯那个，垃圾分类这一块是谁在抓的啊，谢谢", nil, nil, nil, fLeader | fUnit, []string{"垃圾分类"}},
		{"麻烦看下垃圾分类归谁", nil, nil, nil, 0, []string{"垃圾分类"}},
		{"交通运输局牵头哪些任务", nil, []string{"交通局"}, nil, 0, nil},
		{"交通居牵头哪些任务", nil, []string{"交通局"}, nil, 0, nil},
		{"王大明分管哪些部门", nil, nil, []string{"王大明"}, 0, nil},
		{"wang daming负责什么", nil, nil, []string{"王大明"}, fDuty, nil},
		{"65周岁以上老人体检谁负责", nil, nil, nil, fLeader | fUnit, []string{"65周岁", "以上老人体检"}},
		{"第一项什么时候完成，协同单位呢", []int{1}, nil, nil, fDeadline | fCo, nil},
		{"實事第2項誰負責", []int{2}, nil, nil, fLeader | fUnit, nil},
	}
	for _, tt := range tests {
		f := h.Understand(Question{Text: tt.q})
		var refs []int
		for _, r := range f.Refs {
			refs = append(refs, r.No)
		}
		if !slices.Equal(refs, tt.refs) || !slices.Equal(f.Units, tt.units) || !slices.Equal(f.Persons, tt.persons) {
			t.Errorf("%q: refs %v units %v persons %v; want %v %v %v", tt.q, refs, f.Units, f.Persons, tt.refs, tt.units, tt.persons)
		}
		if tt.fields != 0 && f.fields&tt.fields != tt.fields {
			t.Errorf("%q: fields %v lack %v", tt.q, f.Fields, tt.fields)
		}
		if tt.topic != nil && !slices.Equal(f.Topic, tt.topic) {
			t.Errorf("%q: topic %q, want %q", tt.q, f.Topic, tt.topic)
		}
		if tt.topic == nil {
			for _, top := range f.Topic {
				if len([]rune(top)) > 1 {
					t.Errorf("%q: unexpected topic %q", tt.q, f.Topic)
				}
			}
		}
	}
}

// TestTimeWindows resolves the time words against a fixed clock: 20 Aug
// 2020, a Thursday, and the fixture's plan year 2020.
func TestTimeWindows(t *testing.T) {
	h := fixtureHandler(t)
	d := func(m time.Month, day int) string {
		return time.Date(2020, m, day, 0, 0, 0, 0, kb.Location).Format("01-02")
	}
	tests := []struct {
		q        string
		from, to string // "" from: open window
	}{
		{"本月到期的任务", d(8, 1), d(9, 1)},
		{"上个月到期的任务", d(7, 1), d(8, 1)},
		{"下个月要完成哪些", d(9, 1), d(10, 1)},
		{"本季度到期的任务", d(7, 1), d(10, 1)},
		{"下半年要完成哪些", d(7, 1), "01-01"},
		{"两周内到期的任务", d(8, 20), d(9, 4)},
		{"30天内到期的任务", d(8, 20), d(9, 20)},
		{"三季度末前要完成哪些", "", d(10, 1)},
		{"第三季度到期的任务", d(7, 1), d(10, 1)},
		{"8月底前要完成哪些", "", d(9, 1)},
		{"年底前要完成的任务", "", "01-01"},
		{"已逾期的任务", "", d(8, 20)},
	}
	for _, tt := range tests {
		f := h.Understand(Question{Text: tt.q})
		w := f.Window
		if w == nil {
			t.Errorf("%q: no window", tt.q)
			continue
		}
		from := ""
		if !w.Open {
			from = w.From.Format("01-02")
		}
		if from != tt.from || w.To.Format("01-02") != tt.to {
			t.Errorf("%q: window [%s, %s) %q, want [%s, %s)", tt.q, from, w.To.Format("01-02"), w.Label, tt.from, tt.to)
		}
	}
	for _, q := range []string{"今天星期几", "第1项什么时候完成", "65周岁以上老人体检"} {
		if w := h.Understand(Question{Text: q}).Window; w != nil {
			t.Errorf("%q: window %+v, want none", q, w)
		}
	}
}

// TestMetamorphicFrame: a meaning-preserving rewording leaves the frame
// as it was: politeness, an @-mention, fillers, full width, traditional
// characters, dropped punctuation.
func TestMetamorphicFrame(t *testing.T) {
	h := fixtureHandler(t)
	perturb := []func(string) string{
		func(s string) string { return "请问" + s },
		func(s string) string { return "@督办助手 " + s },
		func(s string) string { return s + "，谢谢" },
		func(s string) string { return "嗯那个，" + s + "啊" },
		func(s string) string { return "麻烦看下" + s + "，辛苦了" },
		func(s string) string { return fullWidth(s) },
		func(s string) string {
			return strings.NewReplacer("务", "務", "项", "項", "谁", "誰", "负责", "負責", "单位", "單位", "时候", "時候").Replace(s)
		},
		func(s string) string { return strings.NewReplacer("，", "", "？", "", " ", "").Replace(s) },
	}
	var qs []string
	for _, r := range h.b.Records() {
		for _, tpl := range []string{"第%d项谁牵头", "%d号任务什么时候完成", "任务%d配合单位有哪些"} {
			if r.Table == h.tables[0].ID {
				qs = append(qs, strings.Replace(tpl, "%d", itoa(r.No), 1))
			}
		}
		for _, u := range r.LeadUnits {
			qs = append(qs, u+"牵头哪些任务", u+"配合哪些任务")
		}
	}
	qs = append(qs, "垃圾分类谁牵头", "8月底前要完成哪些", "王大明分管哪些部门")
	key := func(f *Frame) string {
		var b strings.Builder
		for _, r := range f.Refs {
			b.WriteString(itoa(r.No) + ",")
		}
		b.WriteString("|" + strings.Join(f.Units, ",") + "|" + strings.Join(f.Persons, ",") + "|" + itoa(int(f.fields)) + "|" + strings.Join(f.Topic, ","))
		if f.Window != nil {
			b.WriteString("|" + f.Window.Label)
		}
		return b.String()
	}
	for _, q := range qs {
		want := key(h.Understand(Question{Text: q}))
		for i, p := range perturb {
			if got := key(h.Understand(Question{Text: p(q)})); got != want {
				t.Errorf("perturbation %d of %q (%q): frame %s, want %s", i, q, p(q), got, want)
			}
		}
	}
}

func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '!' && r <= '~' {
			return r - '!' + '！'
		}
		if r == ' ' {
			return '\u3000'
		}
		return r
	}, s)
}
