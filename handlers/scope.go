package handlers

import (
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"duban/kb"
	"duban/kb/textnorm"
)

// tableRegistry is the knowledge base's table registry (kb.Base.Tables,
// filled by the readers). A base built without one (a test fixture) gets
// one entry per table its records use, with the kind read from the id.
func tableRegistry(b *kb.Base) []kb.TableInfo {
	if ts := b.Tables(); len(ts) > 0 {
		return ts
	}
	seen := map[kb.Table]bool{}
	var out []kb.TableInfo
	for _, r := range b.Records() {
		if seen[r.Table] {
			continue
		}
		seen[r.Table] = true
		info := kb.TableInfo{ID: r.Table, Title: b.Title(r.Table), Kind: kindOfID(r.Table)}
		if r.Due != nil {
			info.Year = r.Due.Year()
		}
		info.Label = kb.DefaultLabel(info.Kind, 0)
		info.Order = len(out)
		out = append(out, info)
	}
	sort.SliceStable(out, func(i, j int) bool { return kindRank(out[i].Kind) < kindRank(out[j].Kind) })
	return out
}

// kindOfID reads a table kind from a generic table id (key_tasks,
// people_projects, progress_2019, measures_2019).
func kindOfID(id kb.Table) string {
	s := string(id)
	for _, k := range []string{kb.KindKeyTasks, kb.KindPeopleProjects, kb.KindMeasures} {
		if strings.HasPrefix(s, k) {
			return k
		}
	}
	return kb.KindProgressList
}

func kindRank(k string) int {
	switch k {
	case kb.KindKeyTasks:
		return 0
	case kb.KindPeopleProjects:
		return 1
	case kb.KindProgressList:
		return 2
	}
	return 3
}

// addTables adds each table's own scope words and place to the trie: a
// question that says 南通 or a table's label names that table.
func (g *gazetteer) addTables(ts []kb.TableInfo) {
	for _, t := range ts {
		v := "table:" + string(t.ID)
		for _, w := range t.Scope {
			// weak: a table's words inside a phrase are content
			if utf8.RuneCountInString(w) >= 2 {
				g.trie.add(textnorm.Fold(w), entry{kind: tagScope, value: v, weak: true})
			}
		}
		for _, p := range []string{t.Place, placeOf(t.Title)} {
			if p == "" {
				continue
			}
			// a place inside a phrase (围绕南通空铁枢纽) is content: weak
			g.trie.add(p, entry{kind: tagScope, value: v, weak: true})
			// in English the place is its pinyin: Nantong
			if py := pinyin.LazyPinyin(p, pinyinArgs); len(py) == utf8.RuneCountInString(p) {
				g.trie.add(strings.Join(py, ""), entry{kind: tagScope, value: v})
			}
		}
	}
}

// placeOf is the place a title starts with: 南通 of 南通市2019年….
func placeOf(title string) string {
	for _, suf := range []string{"市", "县", "区"} {
		if i := strings.Index(title, suf); i > 0 {
			p := title[:i]
			if n := utf8.RuneCountInString(p); n >= 2 && n <= 4 && !strings.ContainsAny(p, "0123456789年") {
				return p
			}
		}
	}
	return ""
}

// tablesNamed are the tables a question names when it names several
// ("重点工作和实事都算"): lists keep to them.
func (h *Handler) tablesNamed(f *Frame) []kb.Table {
	var ts []kb.Table
	for _, s := range f.Tables {
		if t, ok := h.resolveScope(s, f); ok {
			ts = appendTable(ts, t)
		}
	}
	if len(ts) < 2 {
		return nil
	}
	return ts
}

// scopeOf is the table a question is about and whether it says so: a
// table named right before a reference (实事第12项) wins, then a table the
// question names by its own words, then a kind (重点工作). Two kinds named
// ("重点工作和实事都算") mean every table.
func (h *Handler) scopeOf(f *Frame) (kb.Table, bool) {
	def := kb.Table("")
	if len(h.tables) > 0 {
		def = h.tables[0].ID
	}
	// a table named by its own words (南通, its place) is more exact than
	// a kind (重点工作), which its title may also hold
	var ids []kb.Table
	for _, s := range f.Tables {
		if strings.HasPrefix(s, "table:") {
			ids = appendTable(ids, kb.Table(strings.TrimPrefix(s, "table:")))
		}
	}
	if len(ids) == 1 {
		return ids[0], true
	}
	for _, r := range f.Refs {
		if r.Scope != "" {
			if t, ok := h.resolveScope(r.Scope, f); ok {
				return t, true
			}
		}
	}
	if len(ids) > 1 {
		return def, false
	}
	var kinds []kb.Table
	for _, s := range f.Tables {
		if t, ok := h.resolveScope(s, f); ok {
			kinds = appendTable(kinds, t)
		}
	}
	if len(kinds) == 1 {
		return kinds[0], true
	}
	if len(kinds) > 1 {
		return def, false
	}
	// a year alone with a reference: the table of that year
	if len(f.Years) > 0 && len(f.Refs) > 0 {
		for _, t := range h.tables {
			if t.Year == f.Years[0] {
				return t.ID, true
			}
		}
	}
	return def, false
}

func appendTable(ts []kb.Table, t kb.Table) []kb.Table {
	for _, x := range ts {
		if x == t {
			return ts
		}
	}
	return append(ts, t)
}

// resolveScope maps a scope value (a kind or table:id) to a loaded table,
// preferring the year the question names.
func (h *Handler) resolveScope(s string, f *Frame) (kb.Table, bool) {
	if strings.HasPrefix(s, "table:") {
		return kb.Table(strings.TrimPrefix(s, "table:")), true
	}
	var best *kb.TableInfo
	for i := range h.tables {
		t := &h.tables[i]
		if t.Kind != s {
			continue
		}
		if best == nil || len(f.Years) > 0 && t.Year == f.Years[0] && best.Year != f.Years[0] {
			best = t
		}
	}
	if best == nil {
		return "", false
	}
	return best.ID, true
}

// tableInfo returns the registry entry of t.
func (h *Handler) tableInfo(t kb.Table) (kb.TableInfo, bool) {
	for _, x := range h.tables {
		if x.ID == t {
			return x, true
		}
	}
	return kb.TableInfo{}, false
}

// kindOf is the kind of table t.
func (h *Handler) kindOf(t kb.Table) string {
	if info, ok := h.tableInfo(t); ok && info.Kind != "" {
		return info.Kind
	}
	return kindOfID(t)
}

// planYear is the year of the tables the question is about: the scoped
// table's, else the first table's.
func (h *Handler) planYear(t kb.Table, scoped bool, now time.Time) int {
	if info, ok := h.tableInfo(t); ok && info.Year > 0 {
		return info.Year
	}
	for _, r := range h.b.Records() {
		if r.Due != nil && r.Table == t {
			return r.Due.Year()
		}
	}
	return now.Year()
}
