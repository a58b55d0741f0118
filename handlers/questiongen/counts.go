package questiongen

import (
	"strconv"
	"strings"

	"duban/kb"
)

var askCount = []phrasing{
	{"how_many", "{scope}一共多少项"},
	{"count", "{scope}有几项"},
	{"total", "{scope}总共有多少"},
}

// countDrafts ask how many records a table, a section or 实事 category,
// and a unit hold.
func (g *gen) countDrafts() []draft {
	var out []draft
	add := func(template, scope string, n int, en string) {
		p := askCount[g.rot("count", len(askCount))]
		out = append(out, draft{kind: "count", template: template + "." + p.name,
			zh: strings.ReplaceAll(p.zh, "{scope}", scope), en: en,
			exp: Case{Must: []string{strconv.Itoa(n)}}})
	}
	tables := []struct {
		t     kb.Table
		scope string
		en    string
	}{
		{kb.KeyTasks, "2020年重点工作", "how many key tasks are there"},
		{kb.PeopleProjects, "为民办实事项目", "how many people's livelihood projects are there"},
		{kb.Nantong2019, "南通2019年重点工作", ""},
	}
	for _, t := range tables {
		if n := g.b.Count(t.t); n > 0 {
			add("count.table", t.scope, n, t.en)
		}
	}
	// A unit's count of key tasks it leads.
	leads := map[string]int{}
	var units []string
	for _, r := range g.b.Records() {
		if r.Table != kb.KeyTasks {
			continue
		}
		for _, u := range r.LeadUnits {
			if isCollective(u) {
				continue
			}
			if leads[u] == 0 {
				units = append(units, u)
			}
			leads[u]++
		}
	}
	for _, u := range units {
		n := strconv.Itoa(leads[u])
		out = append(out, draft{kind: "count", template: "count.unit", zh: "{unit}牵头了几项重点工作", unit: u,
			en: "how many key tasks does {unit} lead", exp: Case{Any: [][]string{{n + "项", "共" + n, n + " key task", ": " + n}}}})
	}
	// Sections and categories: "一、突出跨江融合，构建…" is asked by its
	// words after the ordinal, 实事 categories by name.
	type sec struct {
		t    kb.Table
		name string
	}
	counts := map[sec]int{}
	var order []sec
	for _, r := range g.b.Records() {
		if r.Table != kb.KeyTasks && r.Table != kb.PeopleProjects {
			continue
		}
		s := sec{r.Table, r.Section}
		if counts[s] == 0 {
			order = append(order, s)
		}
		counts[s]++
	}
	for _, s := range order {
		name := sectionName(s.name)
		if name == "" {
			continue
		}
		if s.t == kb.KeyTasks {
			add("count.section", "重点工作“"+name+"”这部分", counts[s], "")
			if ord := sectionOrdinal(s.name); ord != "" {
				// 第三部分: an ordinal of a section, never task 3.
				add("count.section_no", "重点工作第"+ord+"部分", counts[s], "")
			}
		} else {
			add("count.category", "实事里“"+name+"”类", counts[s], "")
		}
	}
	return out
}

// sectionName drops a section's ordinal (一、) and keeps its first clause.
func sectionName(s string) string {
	if i := strings.Index(s, "、"); i >= 0 && i <= 9 {
		s = s[i+len("、"):]
	}
	if cs := clauses(s); len(cs) > 0 {
		return cs[0]
	}
	return ""
}

// sectionOrdinal returns the Chinese ordinal of a section ("三" of
// "三、深化改革开放…"), or "".
func sectionOrdinal(s string) string {
	i := strings.Index(s, "、")
	if i <= 0 {
		return ""
	}
	if _, ok := ParseChinese(s[:i]); !ok {
		return ""
	}
	return s[:i]
}
