package questiongen

import (
	"strconv"
	"strings"

	"duban/kb"
)

// Templates of the negative suite: questions about entities that exist in
// no document. {x} is the mutant.
var (
	negUnit = []phrasing{
		{"leads", "{x}牵头哪些任务"},
		{"overseer", "{x}归谁分管"},
		{"co", "{x}配合哪些重点工作"},
	}
	negPerson = []phrasing{
		{"oversees", "{x}分管哪些部门"},
		{"leads", "{x}牵头哪些重点工作"},
		{"liaises", "{x}联系哪个镇"},
	}
	negTopic = []phrasing{
		{"who", "{x}谁牵头"},
		{"dept", "{x}是哪个部门负责的"},
		{"when", "{x}什么时候完成"},
	}
	negIndicator = []phrasing{
		{"target", "{x}目标是多少"},
		{"plan", "十四五{x}要达到多少"},
	}
	negTown = []phrasing{
		{"liaison", "谁联系{x}"},
		{"quota", "{x}新增上市企业任务几家"},
	}
	negNumber = []phrasing{
		{"who", "{ref}谁牵头"},
		{"when", "{ref}什么时候完成"},
		{"what", "{ref}是什么内容"},
	}
)

// Negative returns the negative suite: units, persons and topics made by
// mutating real ones and proven absent from every document, and task
// numbers past each table's end. Each case expects "not found" and names
// in Named what the question itself names; MustNot holds every person of
// the base the question did not name.
func Negative(b *kb.Base, o Options) []Case {
	g := newGen(b, o.Seed+1)
	g.corpus = corpusOf(b)
	var out []Case
	add := func(template string, ps []phrasing, x string, named []string) {
		p := ps[g.rot(template, len(ps))]
		q := strings.ReplaceAll(p.zh, "{x}", x)
		out = append(out, Case{Kind: "negative", Template: template + "." + p.name, Perturb: PBase,
			Base: q, Q: q, NotFound: true, Named: named, MustNot: g.personsBut(q)})
	}
	g.reseed(o.Seed, 1)
	for _, u := range g.mutantUnits(30) {
		add("neg.unit", negUnit, u, []string{u})
	}
	g.reseed(o.Seed, 2)
	for i, p := range g.mutantPersons(30) {
		add("neg.person", negPerson, p, []string{p})
		if py := pinyinName(p); py != "" && i%3 == 0 {
			q := "which departments does " + py + " oversee"
			out = append(out, Case{Kind: "negative", Template: "neg.person.english", Perturb: PEnglish,
				Base: q, Q: q, NotFound: true, Named: []string{p}, MustNot: g.allPersons})
		}
	}
	g.reseed(o.Seed, 3)
	for _, t := range g.mutantTopics(40) {
		add("neg.topic", negTopic, t, []string{t})
	}
	g.reseed(o.Seed, 4)
	for _, x := range g.mutantIndicators(20) {
		add("neg.indicator", negIndicator, x, []string{x})
	}
	g.reseed(o.Seed, 5)
	for _, x := range g.mutantTowns(15) {
		add("neg.town", negTown, x, []string{x})
	}
	g.reseed(o.Seed, 6)
	for _, t := range []kb.Table{kb.KeyTasks, kb.PeopleProjects, kb.Nantong2019} {
		n := b.Count(t)
		if n == 0 {
			continue
		}
		for _, no := range []int{n + 1, n + 1 + g.rnd.IntN(40), 2*n + 7, 999} {
			p := negNumber[g.rot("neg.number", len(negNumber))]
			d := draft{kind: "negative", no: no, refs: refForms[t], zh: p.zh}
			st := style{ref: g.rnd.IntN(len(d.refs))}
			if no%2 == 1 && d.numberStyled(st) {
				st.numeral = chineseDigits // 第一百七十四项
			}
			q := d.render(st)
			out = append(out, Case{Kind: "negative", Template: "neg.number." + p.name, Perturb: PBase,
				Base: q, Q: q, NotFound: true, MustNot: g.personsBut(q)})
		}
		if en := enRef[t]; en != "" {
			q := "who leads " + strings.ReplaceAll(en, "{n}", strconv.Itoa(n+1+g.rnd.IntN(20)))
			out = append(out, Case{Kind: "negative", Template: "neg.number.english", Perturb: PEnglish,
				Base: q, Q: q, NotFound: true, MustNot: g.personsBut(q)})
		}
	}
	return out
}

// personsBut returns every person of the base that q does not name.
func (g *gen) personsBut(q string) []string {
	var out []string
	for _, p := range g.allPersons {
		if !strings.Contains(q, p) {
			out = append(out, p)
		}
	}
	return out
}

// corpusOf joins every text the base holds, to prove a mutant absent.
func corpusOf(b *kb.Base) string {
	c := b.Contents()
	var sb strings.Builder
	for _, p := range c.Passages {
		sb.WriteString(p.Text + "\n" + p.Heading + "\n" + p.Title + "\n")
	}
	for _, r := range c.Records {
		sb.WriteString(r.Text + "\n" + r.Section + "\n" + strings.Join(r.LeadUnits, "|") + "|" + strings.Join(r.CoUnits, "|") + "\n")
	}
	return sb.String()
}

// absent reports whether s occurs nowhere in the documents and is no
// known name.
func (g *gen) absent(s string) bool {
	return !strings.Contains(g.corpus, s) && !g.knownName(s)
}
