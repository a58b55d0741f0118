package questiongen

import (
	"slices"
	"strconv"
	"strings"

	"duban/kb"
)

// listShown is how many task numbers a list question expects: the first
// ones in table order, which every page of a list answer starts with.
const listShown = 10

var (
	askUnitLeads = []phrasing{
		{"leads_which", "{unit}牵头哪些{table}"},
		{"has", "{unit}牵头的{table}有哪些"},
		{"responsible", "{unit}负责牵头的{table}"},
	}
	askUnitCo = []phrasing{
		{"co_which", "{unit}配合哪些{table}"},
		{"as_co", "{unit}作为协同单位的{table}有哪些"},
	}
	askLeaderLeads = []phrasing{
		{"leads_which", "{person}牵头哪些{table}"},
		{"in_table", "{table}里{person}牵头的有哪些"},
	}
	askDue = []phrasing{
		{"month_end", "{m}月底前要完成的{table}"},
		{"which_due", "哪些{table}{m}月底前到期"},
	}
)

// tableWord is what officials call each table in a list question.
var tableWord = map[kb.Table]string{
	kb.KeyTasks:       "重点工作",
	kb.PeopleProjects: "实事项目",
}

// listDrafts ask for a unit's, a leader's and a month's tasks, table by table.
func (g *gen) listDrafts() []draft {
	var out []draft
	for _, t := range []kb.Table{kb.KeyTasks, kb.PeopleProjects} {
		byLead, byCo, byLeader := map[string][]int{}, map[string][]int{}, map[string][]int{}
		byMonth := map[int][]int{}
		var units, leaders []string
		for _, r := range g.b.Records() {
			if r.Table != t {
				continue
			}
			for _, u := range r.LeadUnits {
				if !isCollective(u) {
					if _, ok := byLead[u]; !ok {
						units = append(units, u)
					}
					byLead[u] = append(byLead[u], r.No)
				}
			}
			for _, u := range r.CoUnits {
				if !isCollective(u) {
					byCo[u] = append(byCo[u], r.No)
				}
			}
			for _, p := range persons(r.LeadLeaders) {
				if _, ok := byLeader[p]; !ok {
					leaders = append(leaders, p)
				}
				byLeader[p] = append(byLeader[p], r.No)
			}
			if r.Due != nil && r.Due.Month() != 12 && r.Qualifier == "" && r.Due.Day() > 27 {
				byMonth[int(r.Due.Month())] = append(byMonth[int(r.Due.Month())], r.No)
			}
		}
		word := tableWord[t]
		list := func(template string, ps []phrasing, fill func(string) string, nos []int, unit string) draft {
			p := ps[g.rot(template+string(t), len(ps))]
			q := strings.ReplaceAll(fill(p.zh), "{table}", word)
			return draft{kind: "list", template: template + "." + p.name, zh: q, unit: unit,
				exp: Case{ExpectNos: firstN(nos, listShown)}}
		}
		for _, u := range units {
			fill := func(s string) string { return s }
			d := list("list.unit_leads", askUnitLeads, fill, byLead[u], u)
			if t == kb.KeyTasks {
				d.en = "which key tasks does {unit} lead"
			}
			out = append(out, d)
			if len(byCo[u]) > 0 {
				out = append(out, list("list.unit_co", askUnitCo, fill, byCo[u], u))
			}
		}
		for _, p := range leaders {
			fill := func(s string) string { return strings.ReplaceAll(s, "{person}", p) }
			out = append(out, list("list.leader", askLeaderLeads, fill, byLeader[p], ""))
		}
		for _, sec := range sectionsOf(g.b, t) {
			if t == kb.KeyTasks {
				if ord := sectionOrdinal(sec.name); ord != "" {
					out = append(out, draft{kind: "list", template: "list.section_no",
						zh: "重点工作第" + ord + "部分有哪些任务", exp: Case{ExpectNos: firstN(sec.nos, listShown)}})
				}
				continue
			}
			out = append(out, draft{kind: "list", template: "list.category",
				zh: sec.name + "类的实事有哪些", exp: Case{ExpectNos: firstN(sec.nos, listShown)}})
		}
		months := make([]int, 0, len(byMonth))
		for m := range byMonth {
			months = append(months, m)
		}
		slices.Sort(months)
		for _, m := range months {
			fill := func(s string) string { return strings.ReplaceAll(s, "{m}", strconv.Itoa(m)) }
			out = append(out, list("list.due_month", askDue, fill, byMonth[m], ""))
		}
	}
	return out
}

func firstN(xs []int, n int) []int {
	if len(xs) > n {
		return xs[:n]
	}
	return xs
}

// A section is a table's section or 实事 category with its record numbers.
type section struct {
	name string
	nos  []int
}

func sectionsOf(b *kb.Base, t kb.Table) []section {
	var out []section
	for _, r := range b.Records() {
		if r.Table != t || r.Section == "" {
			continue
		}
		if len(out) == 0 || out[len(out)-1].name != r.Section {
			out = append(out, section{name: r.Section})
		}
		out[len(out)-1].nos = append(out[len(out)-1].nos, r.No)
	}
	return out
}
