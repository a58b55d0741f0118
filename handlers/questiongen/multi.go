package questiongen

import (
	"strconv"

	"duban/kb"
)

// multiDrafts ask about two records or two entities at once ("第5项和第6项
// 分别是哪个单位牵头", "统计局和信访局分别归谁分管"): the answer holds both.
func (g *gen) multiDrafts() []draft {
	var out []draft
	var prev *kb.Record
	for _, r := range g.b.Records() {
		if r.Table != kb.KeyTasks {
			continue
		}
		r := r
		if prev != nil && prev.No+1 == r.No && len(prev.LeadUnits) > 0 && len(r.LeadUnits) > 0 &&
			prev.LeadUnits[0] != r.LeadUnits[0] && r.No%3 == 0 {
			q := "第" + strconv.Itoa(prev.No) + "项和第" + strconv.Itoa(r.No) + "项分别是哪个单位牵头"
			out = append(out, draft{kind: "multi", template: "multi.two_tasks", zh: q,
				exp: Case{Any: append(unitGroups(prev.LeadUnits, 1), unitGroups(r.LeadUnits, 1)...)}})
		}
		prev = &r
	}
	ls := g.b.Contents().Leaders
	sole := map[string]string{} // unit → its one overseer
	count := map[string]int{}
	for _, l := range ls {
		for _, u := range l.Oversees {
			count[u]++
			sole[u] = l.Name
		}
	}
	var units []string
	for _, l := range ls {
		for _, u := range l.Oversees {
			if count[u] == 1 && len([]rune(u)) >= 3 {
				units = append(units, u)
				break // one unit per leader, so pairs span leaders
			}
		}
	}
	for i := 0; i+1 < len(units); i++ {
		a, b := units[i], units[i+1]
		out = append(out, draft{kind: "multi", template: "multi.two_units",
			zh: a + "和" + b + "分别归谁分管", exp: Case{Must: []string{sole[a], sole[b]}}})
	}
	var withTowns []kb.Leader
	for _, l := range ls {
		if len(l.Liaises) > 0 {
			withTowns = append(withTowns, l)
		}
	}
	for i := 0; i+1 < len(withTowns); i++ {
		a, b := withTowns[i], withTowns[i+1]
		out = append(out, draft{kind: "multi", template: "multi.two_persons",
			zh:  a.Name + "和" + b.Name + "分别联系哪些地方",
			exp: Case{Must: []string{a.Liaises[len(a.Liaises)-1], b.Liaises[len(b.Liaises)-1]}}})
	}
	return out
}

var askRole = []phrasing{
	{"lead_or_co", "{unit}在{ref}里是牵头还是配合"},
	{"role", "{ref}中{unit}是什么角色"},
}

// roleDrafts ask what part a unit plays in a task: the lead unit leads, a
// co-unit co-operates, a unit the task does not list plays no part.
func (g *gen) roleDrafts(r kb.Record) []draft {
	refs, ok := refForms[r.Table]
	if !ok || r.Table == kb.Nantong2019 || r.No%4 != 0 {
		return nil
	}
	var out []draft
	mk := func(unit string, exp Case) {
		p := askRole[g.rot("role", len(askRole))]
		exp.Cite = cite(r.Source)
		out = append(out, draft{kind: "role", template: "role." + p.name, zh: p.zh, no: r.No, refs: refs, unit: unit, exp: exp})
	}
	if len(r.LeadUnits) > 0 && !isCollective(r.LeadUnits[0]) {
		mk(r.LeadUnits[0], Case{Must: []string{"牵头"}})
	}
	for _, u := range r.CoUnits {
		if !isCollective(u) && !contains(r.LeadUnits, u) {
			mk(u, Case{Any: [][]string{{"配合", "协同"}}})
			break
		}
	}
	return out
}
