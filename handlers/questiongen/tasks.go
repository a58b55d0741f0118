package questiongen

import (
	"strings"

	"duban/kb"
)

// refForms are the ways officials write a reference into each task table;
// the first is the base form, the others are the ref_form perturbation.
var refForms = map[kb.Table][]string{
	kb.KeyTasks:       {"第{n}项", "{n}号任务", "任务{n}", "重点工作第{n}项", "No.{n}"},
	kb.PeopleProjects: {"实事第{n}项", "为民办实事第{n}件", "民生实事{n}号", "实事项目{n}"},
	kb.Nantong2019:    {"南通第{n}项", "南通2019年第{n}项", "2019年南通重点工作第{n}项"},
}

// enRef is how an English question names a table's record.
var enRef = map[kb.Table]string{
	kb.KeyTasks:       "task {n}",
	kb.PeopleProjects: "project {n}",
	kb.Nantong2019:    "Nantong task {n}",
}

// A phrasing is one way to ask for a field; templates rotate through
// them record by record so each phrasing meets many records.
type phrasing struct{ name, zh string }

var (
	askLeader = []phrasing{
		{"who", "{ref}谁牵头"},
		{"leader", "{ref}的牵头领导是谁"},
		{"which_leader", "{ref}是哪位领导牵头的"},
		{"in_charge", "{ref}哪个领导负责的"},
		{"leader_is", "{ref}领导是谁"},
	}
	askUnit = []phrasing{
		{"which_unit", "{ref}哪个单位牵头"},
		{"lead_unit", "{ref}牵头单位是哪个"},
		{"dept", "{ref}是哪个部门负责的"},
		{"lands_on", "{ref}落在哪个部门"},
		{"whose_job", "{ref}是哪个局的活"},
	}
	askCo = []phrasing{
		{"co_units", "{ref}配合单位有哪些"},
		{"xietong", "{ref}的协同单位"},
		{"who_helps", "{ref}需要哪些单位配合"},
		{"who_else", "{ref}还有哪些单位参与配合"},
	}
	askDeadline = []phrasing{
		{"when", "{ref}什么时候完成"},
		{"limit", "{ref}完成时限"},
		{"due", "{ref}截止到什么时候"},
		{"finish_by", "{ref}啥时候要搞完"},
		{"latest", "{ref}最晚什么时候完成"},
	}
	askText = []phrasing{
		{"content", "{ref}是什么内容"},
		{"what", "{ref}具体是啥任务"},
		{"say", "{ref}讲的什么"},
		{"do_what", "{ref}具体要干啥"},
	}
	askProgress = []phrasing{
		{"progress", "{ref}进展"},
		{"how", "{ref}进展情况如何"},
		{"colloquial", "{ref}推进得怎么样了"},
		{"where_now", "{ref}干到哪了"},
		{"status", "{ref}现在进度咋样"},
	}
	askNoUnit = []phrasing{
		{"who", "{ref}谁负责"},
		{"which_unit", "{ref}是哪个单位牵头的"},
	}
)

// notListed are the honest words for a field a document leaves empty.
var notListed = []string{"未列明", "未列出", "没有列明", "未明确", "未注明", "未写明", "not listed", "not named"}

// taskDrafts asks about every field each numbered record has.
func (g *gen) taskDrafts(r kb.Record) []draft {
	refs, ok := refForms[r.Table]
	if !ok {
		return nil
	}
	kind := string(r.Table)
	base := draft{kind: kind, no: r.No, refs: refs}
	mk := func(field string, ps []phrasing, en string, exp Case) draft {
		p := ps[g.rot(kind+field, len(ps))]
		d := base
		d.template = field + "." + p.name
		d.zh = p.zh
		if en != "" {
			d.en = strings.ReplaceAll(en, "{ref}", enRef[r.Table])
		}
		d.exp = exp
		d.exp.Cite = cite(r.Source)
		return d
	}
	var out []draft
	if ps := persons(r.LeadLeaders); len(r.LeadLeaders) > 0 {
		exp := Case{Must: r.LeadLeaders, MustNot: g.otherLeaders(r)}
		if len(ps) > 0 {
			exp.Must = ps
		}
		out = append(out, mk("leader", askLeader, "who leads {ref}", exp))
	}
	if len(r.LeadUnits) > 0 {
		out = append(out, mk("unit", askUnit, "which unit leads {ref}",
			Case{Any: unitGroups(r.LeadUnits, 3), MustNot: g.otherUnits(r)}))
	}
	if r.Table == kb.KeyTasks || r.Table == kb.PeopleProjects {
		exp := Case{Any: unitGroups(r.CoUnits, 3)}
		if len(r.CoUnits) == 0 {
			exp.Any = [][]string{{"无", "没有", "未列"}}
		}
		out = append(out, mk("co", askCo, "", exp))
	}
	if dt := clean(r.DeadlineText); dt != "" {
		out = append(out, mk("deadline", askDeadline, "when is {ref} due",
			Case{Any: [][]string{{dt, r.Due.ISO()}}}))
	}
	out = append(out, mk("text", askText, "what is {ref} about", Case{Must: []string{head(r.Text, 10)}}))
	if r.Progress != "" {
		out = append(out, mk("progress", askProgress, "what is the progress of {ref}",
			Case{Must: []string{head(r.Progress, 10)}}))
	}
	if r.Table == kb.Nantong2019 && len(r.LeadUnits) == 0 && len(r.LeadLeaders) == 0 {
		out = append(out, mk("unlisted", askNoUnit, "", Case{Any: [][]string{notListed}, MustNot: g.allPersons}))
	}
	return out
}

// otherLeaders are leaders of the neighbouring records that this record
// does not name anywhere: an answer holding one answered another record.
func (g *gen) otherLeaders(r kb.Record) []string {
	var out []string
	for _, o := range g.neighbours(r) {
		for _, p := range persons(o.LeadLeaders) {
			if !contains(r.LeadLeaders, p) && !strings.Contains(r.Text, p) && !contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// otherUnits are lead units of the neighbouring records that this record
// names nowhere.
func (g *gen) otherUnits(r kb.Record) []string {
	var out []string
	mine := strings.Join(append(append([]string{r.Text}, r.LeadUnits...), r.CoUnits...), "|")
	for _, o := range g.neighbours(r) {
		for _, u := range o.LeadUnits {
			if isCollective(u) || contains(out, u) {
				continue
			}
			clash := false
			for _, a := range aliasesOf(u) {
				if strings.Contains(mine, a) || strings.Contains(a, mine) {
					clash = true
				}
			}
			for _, m := range append(append([]string{}, r.LeadUnits...), r.CoUnits...) {
				if strings.Contains(m, u) || strings.Contains(u, m) {
					clash = true
				}
			}
			if !clash {
				out = append(out, u)
			}
		}
	}
	return out
}

func (g *gen) neighbours(r kb.Record) []kb.Record {
	var out []kb.Record
	for _, n := range []int{r.No - 1, r.No + 1} {
		if o, ok := g.b.Task(r.Table, n); ok {
			out = append(out, o)
		}
	}
	return out
}
