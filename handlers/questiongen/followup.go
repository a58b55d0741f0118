package questiongen

import (
	"strings"

	"duban/kb"
)

// A FollowUp is two questions of one conversation: First names a record,
// Then asks for another of its fields without naming it, as officials
// continue in a chat (那它什么时候到期？). Then's expectation holds when it
// is asked with the follow-up state First's reply leaves.
type FollowUp struct {
	First, Then Case
}

var (
	firstAsks = []string{"{ref}是什么内容", "{ref}讲的啥", "查一下{ref}"}
	thenAsks  = map[string][]string{
		"deadline": {"那它什么时候到期？", "啥时候完成呢", "期限呢"},
		"co":       {"配合单位呢", "那协同单位有哪些"},
		"leader":   {"牵头领导呢", "那谁牵头"},
		"unit":     {"牵头单位呢", "哪个单位牵头的"},
		"progress": {"进展呢", "现在干到哪了"},
	}
	thenOrder = []string{"deadline", "co", "leader", "unit", "progress"}
)

// FollowUps returns one two-question conversation per record and field:
// the first question names the record by number, the second asks for a
// field by a follow-up word alone.
func FollowUps(b *kb.Base, o Options) []FollowUp {
	g := newGen(b, o.Seed+2)
	var out []FollowUp
	for i, r := range b.Records() {
		if o.Every > 1 && i%o.Every != 0 {
			continue
		}
		refs, ok := refForms[r.Table]
		if !ok {
			continue
		}
		first := draft{kind: string(r.Table), no: r.No, refs: refs, zh: pick(g, firstAsks)}
		q1 := first.render(style{ref: g.rnd.IntN(len(refs))})
		for _, field := range thenOrder {
			exp, ok := fieldExpectation(r, field)
			if !ok {
				continue
			}
			q2 := pick(g, thenAsks[field])
			exp.Kind, exp.Template, exp.Perturb, exp.Base, exp.Q = string(r.Table), "followup."+field, PBase, q2, q2
			exp.Cite = cite(r.Source)
			out = append(out, FollowUp{
				First: Case{Kind: string(r.Table), Template: "followup.first", Perturb: PBase, Base: q1, Q: q1,
					Must: []string{head(r.Text, 10)}, Cite: cite(r.Source)},
				Then: exp,
			})
		}
	}
	return out
}

// fieldExpectation is what an answer giving field of r must hold, and
// whether r has the field.
func fieldExpectation(r kb.Record, field string) (Case, bool) {
	switch field {
	case "deadline":
		if dt := clean(r.DeadlineText); dt != "" {
			return Case{Any: [][]string{{dt, r.Due.ISO()}}}, true
		}
	case "co":
		if r.Table == kb.KeyTasks || r.Table == kb.PeopleProjects {
			if len(r.CoUnits) == 0 {
				return Case{Any: [][]string{{"无", "没有", "未列"}}}, true
			}
			return Case{Any: unitGroups(r.CoUnits, 2)}, true
		}
	case "leader":
		if ps := persons(r.LeadLeaders); len(ps) > 0 {
			return Case{Must: ps}, true
		}
	case "unit":
		if len(r.LeadUnits) > 0 {
			return Case{Any: unitGroups(r.LeadUnits, 2)}, true
		}
	case "progress":
		if strings.TrimSpace(r.Progress) != "" {
			return Case{Must: []string{head(r.Progress, 10)}}, true
		}
	}
	return Case{}, false
}
