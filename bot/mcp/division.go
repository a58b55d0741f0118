package mcp

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"duban/handlers"
	"duban/kb"
	"duban/kb/names"
)

// DivisionIn is the input of division_of_labour.
type DivisionIn struct {
	Name string `json:"name" jsonschema:"a leader (茅敏勇), or a department or town (交通运输局, 三星镇)"`
}

// DivisionOut is the output of division_of_labour: a person's or a unit's
// part of the division of labour.
type DivisionOut struct {
	Miss
	Person *PersonDivision `json:"person,omitempty" jsonschema:"when name is a person"`
	Unit   *UnitDivision   `json:"unit,omitempty" jsonschema:"when name is a department or town"`
}

// PersonDivision is a leader's 分工 and the joint meetings they sit on.
type PersonDivision struct {
	Name        string       `json:"name"`
	Post        string       `json:"post,omitempty" jsonschema:"职务"`
	Areas       []string     `json:"areas,omitempty" jsonschema:"负责: areas of work"`
	Oversees    []string     `json:"oversees,omitempty" jsonschema:"分管: departments, canonical names"`
	Liaises     []string     `json:"liaises,omitempty" jsonschema:"联系: towns and bodies"`
	Assists     []string     `json:"assists,omitempty" jsonschema:"协助: roles"`
	Text        string       `json:"text,omitempty" jsonschema:"the division-of-labour paragraph, whole"`
	Source      *Source      `json:"source,omitempty" jsonschema:"where the division of labour states it"`
	Memberships []Membership `json:"memberships,omitempty" jsonschema:"joint meetings and leading groups the person sits on"`
}

// A Membership is a seat on a joint meeting (联席会议) or leading group.
type Membership struct {
	Body   string `json:"body"`
	Role   string `json:"role" jsonschema:"召集人, 副召集人, 成员"`
	Post   string `json:"post,omitempty"`
	Source Source `json:"source"`
}

// UnitDivision is who oversees or liaises with a unit, and its duties.
type UnitDivision struct {
	Name       string      `json:"name" jsonschema:"the unit's canonical name"`
	OverseenBy []LeaderRef `json:"overseen_by" jsonschema:"leaders who 分管 it"`
	LiaisedBy  []LeaderRef `json:"liaised_by" jsonschema:"leaders who 联系 it"`
	Duties     []Duty      `json:"duties" jsonschema:"what notices make it responsible for"`
}

// A LeaderRef names a leader with the paragraph that says so.
type LeaderRef struct {
	Name   string `json:"name"`
	Post   string `json:"post,omitempty"`
	Source Source `json:"source"`
}

// A Duty is what one unit must do under a notice.
type Duty struct {
	Role   string `json:"role,omitempty" jsonschema:"牵头, 责任单位, 成员单位"`
	Topic  string `json:"topic" jsonschema:"the notice or section it belongs to"`
	Text   string `json:"text"`
	Source Source `json:"source"`
}

func (s *Server) addDivisionTool() {
	addTool(s, "division_of_labour", "Division of labour",
		"A leader's 分工 (负责, 分管 departments, 联系 towns, joint-meeting seats), or for a department or town: the leaders who 分管 or 联系 it and its duties under the notices. "+
			"An unknown name returns not_found with candidates.",
		map[string]arg{}, s.division)
}

func (s *Server) division(_ context.Context, h *handlers.Handler, in DivisionIn) (DivisionOut, error) {
	b := h.Base()
	c := b.Contents()
	if p, ok := resolvePerson(b, in.Name); ok {
		return DivisionOut{Person: person(b, p)}, nil
	}
	u := names.Unit(in.Name)
	known := unitNames(b)
	if _, ok := slices.BinarySearch(known, u); !ok || u == "" {
		return DivisionOut{Miss: miss(fmt.Sprintf("文件中没有领导或单位“%s”", in.Name),
			nearest(in.Name, append(append([]string{}, b.Persons()...), known...), maxCandidates))}, nil
	}
	out := &UnitDivision{Name: u, OverseenBy: []LeaderRef{}, LiaisedBy: []LeaderRef{}, Duties: []Duty{}}
	for _, l := range b.Overseers(u) {
		out.OverseenBy = append(out.OverseenBy, LeaderRef{Name: l.Name, Post: l.Post, Source: source(l.Source, "")})
	}
	for _, l := range c.Leaders {
		if slices.ContainsFunc(l.Liaises, func(x string) bool { return names.Unit(x) == u }) {
			out.LiaisedBy = append(out.LiaisedBy, LeaderRef{Name: l.Name, Post: l.Post, Source: source(l.Source, "")})
		}
	}
	for _, d := range c.Duties {
		if d.Unit == u {
			out.Duties = append(out.Duties, Duty{Role: d.Role, Topic: d.Topic, Text: d.Text, Source: source(d.Source, "")})
		}
	}
	return DivisionOut{Unit: out}, nil
}

func person(b *kb.Base, p string) *PersonDivision {
	out := &PersonDivision{Name: p}
	if l, ok := b.Leader(p); ok {
		src := source(l.Source, "")
		out.Post, out.Areas, out.Oversees, out.Liaises, out.Assists, out.Text, out.Source =
			l.Post, l.Areas, l.Oversees, l.Liaises, l.Assists, l.Text, &src
	}
	for _, m := range b.Contents().Members {
		if m.Name == p {
			out.Memberships = append(out.Memberships, Membership{Body: m.Body, Role: m.Role, Post: m.Post, Source: source(m.Source, "")})
		}
	}
	return out
}

// unitNames is every department and town the division of labour can be
// asked about, canonical and sorted: the units of the tasks, the towns
// leaders liaise with, the units of duties.
func unitNames(b *kb.Base) []string {
	set := map[string]bool{}
	for _, u := range b.Units() {
		set[u] = true
	}
	c := b.Contents()
	for _, l := range c.Leaders {
		for _, x := range l.Liaises {
			set[names.Unit(x)] = true
		}
	}
	for _, d := range c.Duties {
		set[d.Unit] = true
	}
	delete(set, "")
	out := make([]string, 0, len(set))
	for u := range set {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}
