package scheduler

import (
	"slices"
	"strings"

	"duban/kb"
	"duban/kb/names"
)

// Collective membership. The documents never list the members of 各区镇 or
// 各部门, so duban decides from the names of the chats' units:
//
//   - a town is a unit whose name ends in 镇 or 街道 (正余镇);
//   - a park is one ending in 区 (开发区, 高新区, 海门港新区, 叠石桥家纺产业园区),
//     the districts and parks that sit beside the towns as 区镇;
//   - a department is every other unit (住建局, 城发集团, 供电公司).
//
// 各区镇, 相关区镇, 各区镇（街道）, 各区 → towns and parks; 各镇 → towns;
// 各园区, 相关园区 → parks; 各部门, 相关部门, 各有关部门, 各委办局 → departments.
// Other collectives (各成员单位, 相关单位, 各招商分局) have no members duban can
// name; they reach only a chat that lists the collective itself. A chat
// listing a collective among its units (units: [各区镇]) always receives
// the tasks of that collective.
type unitKind uint8

const (
	kindDept unitKind = 1 << iota
	kindTown
	kindPark
)

// kindOf classifies a canonical, non-collective unit.
func kindOf(unit string) unitKind {
	switch {
	case strings.HasSuffix(unit, "镇"), strings.HasSuffix(unit, "街道"):
		return kindTown
	case strings.HasSuffix(unit, "区"):
		return kindPark
	}
	return kindDept
}

// membersOf says which kinds of unit a collective stands for; 0: none.
func membersOf(collective string) unitKind {
	c := names.Clean(collective)
	switch {
	case strings.Contains(c, "部门"), strings.Contains(c, "委办局"):
		return kindDept
	case strings.Contains(c, "区镇"), c == "各区":
		return kindTown | kindPark
	case strings.Contains(c, "园区"):
		return kindPark
	case strings.Contains(c, "镇"), strings.Contains(c, "街道"):
		return kindTown
	}
	return 0
}

// router maps unit names (as tasks write them) to chat indices.
type router struct {
	byUnit map[string][]int   // canonical unit or cleaned collective → chats naming it
	byKind map[unitKind][]int // kind → chats with a unit of that kind
	cache  map[string][]int   // task unit as written → chats, memoised
}

func newRouter(chats []Chat) *router {
	rt := &router{byUnit: map[string][]int{}, byKind: map[unitKind][]int{}, cache: map[string][]int{}}
	for i, c := range chats {
		kinds := unitKind(0)
		for _, u := range c.Units {
			cu := names.Unit(u)
			if cu == "" {
				continue
			}
			if !slices.Contains(rt.byUnit[cu], i) {
				rt.byUnit[cu] = append(rt.byUnit[cu], i)
			}
			if !names.IsCollective(cu) {
				kinds |= kindOf(cu)
			}
		}
		for _, k := range []unitKind{kindDept, kindTown, kindPark} {
			if kinds&k != 0 {
				rt.byKind[k] = append(rt.byKind[k], i)
			}
		}
	}
	return rt
}

// chats returns the chats of unit u as a task names it, sorted, shared:
// callers must not modify the slice.
func (rt *router) chats(u string) []int {
	if cs, ok := rt.cache[u]; ok {
		return cs
	}
	cu := names.Unit(u)
	out := slices.Clone(rt.byUnit[cu])
	if names.IsCollective(cu) {
		m := membersOf(cu)
		for _, k := range []unitKind{kindDept, kindTown, kindPark} {
			if m&k != 0 {
				out = append(out, rt.byKind[k]...)
			}
		}
		slices.Sort(out)
		out = slices.Compact(out)
	}
	rt.cache[u] = out
	return out
}

// route returns the chats of units, merged and sorted, without those in
// exclude.
func (rt *router) route(units []string, exclude []int) []int {
	var out []int
	for _, u := range units {
		for _, c := range rt.chats(u) {
			if !slices.Contains(exclude, c) {
				out = append(out, c)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// A routing is where one task goes and why. Collectives are
// kb/names.IsCollective's: the documents' 各部门, 相关部门, 各有关部门, 各区镇 ….
type routing struct {
	// lead: the chats of the lead units, as named or as members of a
	// collective that leads (a task of 各部门 reaches each department).
	lead []int
	// shared: those of lead reached only as members of a collective
	// (各部门共同); sorted.
	shared []int
	// co: the chats of co-units named individually (or of a chat that
	// lists a collective co-unit itself), without lead chats.
	co []int
	// coMembers: the chats reached only as members of a collective
	// co-unit (相关部门), without lead and co chats. They get a 协同 copy
	// only under a rule with collective_co_units.
	coMembers []int
}

// task routes one record's lead and co-units.
func (rt *router) task(r *kb.Record) routing {
	var out routing
	own, viaLead := rt.split(r.LeadUnits)
	out.lead = merge(own, viaLead)
	for _, c := range viaLead {
		if !slices.Contains(own, c) {
			out.shared = append(out.shared, c)
		}
	}
	named, viaCo := rt.split(r.CoUnits)
	for _, c := range named {
		if !slices.Contains(out.lead, c) {
			out.co = append(out.co, c)
		}
	}
	for _, c := range viaCo {
		if !slices.Contains(out.lead, c) && !slices.Contains(out.co, c) {
			out.coMembers = append(out.coMembers, c)
		}
	}
	return out
}

// split returns, sorted, the chats that name one of units (or list the
// collective itself) and the chats reached as members of a collective.
func (rt *router) split(units []string) (named, members []int) {
	for _, u := range units {
		cu := names.Unit(u)
		direct := rt.byUnit[cu]
		named = append(named, direct...)
		for _, c := range rt.chats(u) {
			if !slices.Contains(direct, c) {
				members = append(members, c)
			}
		}
	}
	slices.Sort(named)
	slices.Sort(members)
	return slices.Compact(named), slices.Compact(members)
}

// merge returns the sorted union of two sorted sets.
func merge(a, b []int) []int {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}
