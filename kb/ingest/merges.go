package ingest

import "math"

// Which empty cells of a text export are vertical merges. A text export
// loses Word's merge marks: a merged cell's value is printed in its first
// row only (and again where a page starts), and the rows below hold empty
// cells. Two things decide, per table and column:
//
//   - the role: a lead leader, lead unit or deadline shared by neighbouring
//     tasks is written once and merged, so those columns are merged unless
//     the evidence says otherwise; a co-units column is read as merged only
//     on strong evidence, because an empty co-units cell usually means none
//     (as a merge it would give 垃圾分类 the co-unit 交通产业集团 in 004);
//   - the evidence: at the rows where a merge cannot continue — the first
//     row, the first row after a section row spanning the table, and a row
//     where a page starts (the section cell printed again) — a merged
//     column is never empty. A column empty there at least as often as
//     elsewhere is not merged; a column never empty there, with enough such
//     rows that this is unlikely by chance, is.

// evidenceRows returns, for a text grid's data rows, which are evidence
// rows (a merge cannot continue into them).
func evidenceRows(g grid) []bool {
	sec := -1
	if k := indexesOf(g.cols, colSection); len(k) > 0 {
		sec = k[0]
	}
	var out []bool
	first, afterSpan := true, false
	current := ""
	for _, row := range g.rows {
		if row.span != "" {
			afterSpan = true
			continue
		}
		if gridRowEmpty(row) {
			continue
		}
		ev := first || afterSpan
		if sec >= 0 && sec < len(row.cells) {
			if s := cleanCell(row.cells[sec].Text); s != "" {
				if s == current {
					ev = true // the section cell printed again: a page starts
				}
				current = s
			}
		}
		out = append(out, ev)
		first, afterSpan = false, false
	}
	return out
}

// inferMerges decides which columns of a text grid are merged.
func inferMerges(g grid) map[column]bool {
	ev := evidenceRows(g)
	merged := map[column]bool{}
	for j, col := range g.cols {
		var emptyE, nE, emptyO, nO int
		k := 0
		for _, row := range g.rows {
			if row.span != "" || gridRowEmpty(row) {
				continue
			}
			empty := j >= len(row.cells) || cleanCell(row.cells[j].Text) == ""
			if ev[k] {
				nE++
				if empty {
					emptyE++
				}
			} else {
				nO++
				if empty {
					emptyO++
				}
			}
			k++
		}
		switch col {
		case colSection:
			merged[col] = true
		case colLeaders, colUnits, colDeadline:
			contradicted := nE >= 3 && emptyE > 0 && nO > 0 &&
				float64(emptyE)/float64(nE) >= float64(emptyO)/float64(nO)
			merged[col] = !contradicted
		case colCo:
			if nE >= 5 && emptyE == 0 && emptyO > 0 {
				p := float64(emptyO) / float64(nO)
				merged[col] = math.Pow(1-p, float64(nE)) < 0.01
			}
		}
	}
	return merged
}

// mergedCols returns the columns the grid reads as vertically merged
// (marked by the file, or inferred for a text export) that hold at least
// one empty or marked cell, for the registry and kb check.
func (g grid) mergedCols() []column {
	if g.textMerge && g.merged == nil {
		g.merged = inferMerges(g)
	}
	var out []column
	for j, col := range g.cols {
		use := false
		for _, r := range g.rows {
			if j >= len(r.cells) || r.span != "" {
				continue
			}
			if r.cells[j].Merged || (g.textMerge && g.merged[col] && cleanCell(r.cells[j].Text) == "" && !gridRowEmpty(r)) {
				use = true
				break
			}
		}
		if use {
			out = append(out, col)
		}
	}
	return out
}
