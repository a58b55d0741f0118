package questiongen

import (
	"slices"
	"strings"

	"duban/kb"
)

var (
	askOversees = []phrasing{
		{"which_depts", "{person}分管哪些部门"},
		{"which_units", "{person}分管哪些单位"},
	}
	askOverseer = []phrasing{
		{"whose", "{unit}归谁分管"},
		{"leader", "{unit}的分管领导是谁"},
		{"which_vice", "哪位区领导分管{unit}"},
	}
	askLiaises = []phrasing{
		{"which_towns", "{person}联系哪些镇"},
		{"where", "{person}挂钩联系哪里"},
	}
	askLiaison = []phrasing{
		{"who", "谁联系{town}"},
		{"which_leader", "{town}是哪位领导联系的"},
	}
	askAreas = []phrasing{
		{"areas", "{person}负责哪些工作"},
		{"division", "{person}的工作分工是什么"},
	}
	askConvener = []phrasing{
		{"convener", "{body}召集人是谁"},
		{"who_convenes", "{body}由谁召集"},
	}
)

// leaderDrafts ask about the division of labour, both ways, and the
// conveners of each joint meeting.
func (g *gen) leaderDrafts() []draft {
	c := g.b.Contents()
	var out []draft
	mk := func(template string, ps []phrasing, repl map[string]string, unit string, exp Case) draft {
		p := ps[g.rot(template, len(ps))]
		q := p.zh
		for k, v := range repl {
			q = strings.ReplaceAll(q, k, v)
		}
		return draft{kind: "leader", template: template + "." + p.name, zh: q, unit: unit, exp: exp}
	}
	overseers := map[string][]string{}
	liaisons := map[string][]string{}
	var units, towns []string
	for _, l := range c.Leaders {
		who := map[string]string{"{person}": l.Name}
		mine := cite(l.Source)
		py := pinyinName(l.Name)
		if len(l.Oversees) > 0 {
			d := mk("leader.oversees", askOversees, who, "", Case{Any: unitGroups(l.Oversees, 3), Cite: mine})
			if py != "" {
				d.en = "which departments does " + py + " oversee"
			}
			out = append(out, d)
		}
		if len(l.Liaises) > 0 {
			d := mk("leader.liaises", askLiaises, who, "", Case{Must: firstStrings(l.Liaises, 2), Cite: mine})
			if py != "" {
				d.en = "which places does " + py + " liaise with"
			}
			out = append(out, d)
		}
		if len(l.Areas) > 0 {
			out = append(out, mk("leader.areas", askAreas, who, "", Case{Must: firstStrings(l.Areas, 2), Cite: mine}))
		}
		for _, u := range append(slices.Clone(l.Oversees), assisted(l.Assists)...) {
			if len(overseers[u]) == 0 {
				units = append(units, u)
			}
			if !contains(overseers[u], l.Name) {
				overseers[u] = append(overseers[u], l.Name)
			}
		}
		for _, t := range l.Liaises {
			if len(liaisons[t]) == 0 {
				towns = append(towns, t)
			}
			liaisons[t] = append(liaisons[t], l.Name)
		}
	}
	others := func(keep []string) []string {
		var out []string
		for _, l := range c.Leaders {
			if !contains(keep, l.Name) {
				out = append(out, l.Name)
			}
		}
		return out
	}
	for _, u := range units {
		out = append(out, mk("leader.overseer", askOverseer, nil, u,
			Case{Must: overseers[u], MustNot: others(overseers[u])}))
	}
	for _, t := range towns {
		if len(liaisons[t]) != 1 {
			continue
		}
		out = append(out, mk("leader.liaison", askLiaison, map[string]string{"{town}": t}, "",
			Case{Must: liaisons[t], MustNot: others(liaisons[t])}))
	}
	out = append(out, g.convenerDrafts(c.Members)...)
	return out
}

func (g *gen) convenerDrafts(ms []kb.Member) []draft {
	conv := map[string][]string{}
	var bodies []string
	for _, m := range ms {
		if m.Role != "召集人" {
			continue
		}
		if len(conv[m.Body]) == 0 {
			bodies = append(bodies, m.Body)
		}
		conv[m.Body] = append(conv[m.Body], m.Name)
	}
	var out []draft
	for _, b := range bodies {
		p := askConvener[g.rot("convener", len(askConvener))]
		out = append(out, draft{kind: "member", template: "member.convener." + p.name,
			zh: strings.ReplaceAll(p.zh, "{body}", b), exp: Case{Must: conv[b]}})
	}
	return out
}

// assisted returns the units a leader 协助分管 (assists read "分管财政局"):
// the document assigns them, so "财政局归谁分管" must name this leader too.
func assisted(assists []string) []string {
	var out []string
	for _, a := range assists {
		if u, ok := strings.CutPrefix(a, "分管"); ok && u != "" {
			out = append(out, u)
		}
	}
	return out
}

func firstStrings(xs []string, n int) []string {
	if len(xs) > n {
		return xs[:n]
	}
	return xs
}
