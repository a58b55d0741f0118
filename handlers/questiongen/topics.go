package questiongen

import (
	"strings"
	"unicode/utf8"

	"duban/kb"
)

var (
	askTopicUnit = []phrasing{
		{"which_unit", "{topic}是哪个单位牵头的"},
		{"dept_grab", "{topic}这块是哪个部门在抓"},
		{"belongs", "{topic}归哪个部门负责"},
	}
	askTopicLeader = []phrasing{
		{"which_leader", "{topic}是哪位领导牵头"},
		{"who_leads", "{topic}谁牵头"},
	}
	askTopicDeadline = []phrasing{
		{"when", "{topic}什么时候完成"},
		{"due", "{topic}的完成时限是什么时候"},
	}
)

// topicDrafts ask about a record by a phrase of its own text that no other
// record holds, the way an official names a task without its number.
func (g *gen) topicDrafts(r kb.Record) []draft {
	topic := g.topicOf(r)
	if topic == "" {
		return nil
	}
	kind := string(r.Table)
	mk := func(field string, ps []phrasing, exp Case) draft {
		p := ps[g.rot("topic"+kind+field, len(ps))]
		exp.Cite = cite(r.Source)
		return draft{kind: kind, template: "topic." + field + "." + p.name,
			zh: strings.ReplaceAll(p.zh, "{topic}", topic), exp: exp}
	}
	var out []draft
	if len(r.LeadUnits) > 0 {
		out = append(out, mk("unit", askTopicUnit, Case{Any: unitGroups(r.LeadUnits, 2)}))
	}
	if ps := persons(r.LeadLeaders); len(ps) > 0 {
		out = append(out, mk("leader", askTopicLeader, Case{Must: ps}))
	}
	if dt := clean(r.DeadlineText); dt != "" {
		exp := Case{Any: [][]string{{dt, r.Due.ISO()}}}
		if r.Due != nil && !hasDigit(dt) {
			// A relative deadline (今年底) is shown with the date it
			// resolves to in its document's year.
			exp.Any = append(exp.Any, []string{r.Due.ISO(), r.Due.Format("2006年1月2日")})
		}
		out = append(out, mk("deadline", askTopicDeadline, exp))
	}
	return out
}

// topicOf returns a phrase of r's text (a clause of 6 to 16 characters,
// the measure's title sentence first) that occurs in no other record, or "".
func (g *gen) topicOf(r kb.Record) string {
	var cands []string
	if r.Table == kb.Measures2019 {
		if i := strings.Index(r.Text, "。"); i > 0 {
			cands = append(cands, r.Text[:i])
		}
	}
	cands = append(cands, clauses(r.Text)...)
	for _, c := range cands {
		n := utf8.RuneCountInString(c)
		if n < 6 || n > 16 || !hasHan(c) {
			continue
		}
		if g.uniqueInRecords(c) {
			return c
		}
	}
	return ""
}

// clauses splits a text at its punctuation; quotation marks stay inside
// a clause, since a quoted name (“e警务”) is part of the phrase.
func clauses(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune("，。；：、,;:！？（）()", r)
	})
}

func (g *gen) uniqueInRecords(c string) bool {
	n := 0
	for _, r := range g.b.Records() {
		if strings.Contains(r.Text, c) {
			n++
		}
	}
	return n == 1
}
