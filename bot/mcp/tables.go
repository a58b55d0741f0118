package mcp

import (
	"fmt"
	"strings"

	"duban/kb"
	"duban/kb/textnorm"
)

// A TableRef names a task table in a result.
type TableRef struct {
	ID    string `json:"id" jsonschema:"table id, the value of a table or scope argument"`
	Title string `json:"title" jsonschema:"the table's title as its document gives it"`
	Year  int    `json:"year,omitempty" jsonschema:"the plan year its document states"`
}

func tableRef(t kb.TableInfo) TableRef {
	return TableRef{ID: string(t.ID), Title: t.Title, Year: t.Year}
}

// resolveTable finds the table an argument names: its id (key_tasks), its
// title or label, or a word the registry says selects it (实事). The
// registry comes from the documents, so nothing here knows the seeds.
func resolveTable(b *kb.Base, arg string) (kb.TableInfo, Miss, bool) {
	tables := b.Tables()
	a := textnorm.Fold(strings.TrimSpace(arg))
	for _, t := range tables {
		if a == textnorm.Fold(string(t.ID)) || a == textnorm.Fold(t.Title) || a == textnorm.Fold(t.Label) {
			return t, Miss{}, true
		}
	}
	// A word: the table most of whose scope words it holds (实事, 南通),
	// else the tables whose title contains it. One is the answer; several
	// are candidates, never a pick.
	hits := byScope(a, tables)
	if len(hits) == 0 {
		for _, t := range tables {
			if a != "" && (strings.Contains(textnorm.Fold(t.Title), a) || strings.Contains(textnorm.Fold(t.Label), a)) {
				hits = append(hits, t)
			}
		}
	}
	if len(hits) == 1 {
		return hits[0], Miss{}, true
	}
	var ids []string
	for _, t := range hits {
		ids = append(ids, string(t.ID))
	}
	if len(ids) == 0 {
		var all []string
		for _, t := range tables {
			all = append(all, string(t.ID))
		}
		ids = nearest(arg, all, maxCandidates)
		return kb.TableInfo{}, miss(fmt.Sprintf("没有名为“%s”的任务表；已载入的表：%s", arg, strings.Join(all, "、")), ids), false
	}
	if len(ids) > maxCandidates {
		ids = ids[:maxCandidates]
	}
	return kb.TableInfo{}, miss(fmt.Sprintf("“%s”可指多张任务表，请用表的 id 指定", arg), ids), false
}

// byScope returns the tables with the most scope words that a contains;
// none when it contains none.
func byScope(a string, tables []kb.TableInfo) []kb.TableInfo {
	var best []kb.TableInfo
	most := 0
	for _, t := range tables {
		n := 0
		for _, w := range t.Scope {
			if w := textnorm.Fold(w); w != "" && strings.Contains(a, w) {
				n++
			}
		}
		switch {
		case n == 0 || n < most:
		case n > most:
			best, most = []kb.TableInfo{t}, n
		default:
			best = append(best, t)
		}
	}
	return best
}

// tableRanks maps each table to its registry order, for sorting records of
// several tables the way the bot lists them.
func tableRanks(b *kb.Base) map[kb.Table]int {
	m := map[kb.Table]int{}
	for i, t := range b.Tables() {
		m[t.ID] = i
	}
	return m
}
