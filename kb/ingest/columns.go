package ingest

// String names a column role for kb check and the table registry.
func (c column) String() string {
	switch c {
	case colSection:
		return "section"
	case colNo:
		return "no"
	case colText:
		return "text"
	case colLeaders:
		return "lead_leaders"
	case colUnits:
		return "lead_units"
	case colCo:
		return "co_units"
	case colDeadline:
		return "deadline"
	}
	return "other"
}

// mergedCols returns the columns whose cells the grid reads as vertically
// merged: marked by the file (.docx, .xlsx), or inferred for text exports.
func (g grid) mergedCols() []column {
	var out []column
	for _, col := range g.cols {
		if g.isMerged(col) {
			out = append(out, col)
		}
	}
	return out
}

// isMerged reports whether col's empty cells continue the cell above.
func (g grid) isMerged(col column) bool {
	if g.merged != nil {
		return g.merged[col]
	}
	if g.textMerge {
		return col == colLeaders || col == colUnits || col == colDeadline
	}
	for _, r := range g.rows {
		for j, c := range r.cells {
			if j < len(g.cols) && g.cols[j] == col && c.Merged {
				return true
			}
		}
	}
	return false
}
