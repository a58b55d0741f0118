package ingest

import (
	"fmt"
	"strings"
)

// How a .docx table becomes a Table (the .xlsx reader follows the same
// rules for its merged ranges):
//
//   - Cells are laid out on the table's grid columns (w:tblGrid, w:gridBefore,
//     w:gridSpan), so every row of a Table has the same number of cells and
//     a column means the same thing in every row.
//   - A cell spanning several grid columns (w:gridSpan, legacy w:hMerge)
//     holds its text in its first column; the other columns are empty and
//     not Merged. Merged is reserved for vertical merges, which the task
//     extractor records as inherited.
//   - A vertical merge continuation (w:vMerge without "restart") copies
//     the cell above in the same grid column and is Merged, whatever text
//     Word left in it. At the top of a table it is a plain cell.
//   - A table split in two (by hand or by a page layout tool) continues the
//     task table above it when only empty paragraphs separate them, both
//     have the same number of grid columns, the first has a task header and
//     the second has either none or the same header again (rows marked
//     w:tblHeader or repeating the first table's header rows are dropped).
//     Its rows are appended, and a vertical merge continuing across the
//     split copies the last row of the first part.
//   - A header of two rows where both name task columns (牵头领导 merged
//     down, 责任单位 spanning 牵头单位 | 协同单位) is folded: the upper
//     row takes the titles of the lower row's own cells (foldHeader).

// maxDocxCols bounds the grid: Word allows 63 columns; the bound keeps a
// malformed span from allocating without limit. Text beyond it is dropped.
const maxDocxCols = 64

// A docxCell is a w:tc as written.
type docxCell struct {
	lines []string // non-blank paragraph lines
	span  int      // w:gridSpan
	vcont bool     // w:vMerge continuation
	hcont bool     // legacy w:hMerge continuation: part of the cell before
}

// A docxRow is a w:tr as written.
type docxRow struct {
	header bool // w:tblHeader: repeated at the top of each page
	before int  // w:gridBefore: grid columns left empty before the first cell
	cells  []docxCell
}

// docxTables assembles the outermost tables of a document.
type docxTables struct {
	tables    []Table
	gridCols  int       // w:gridCol count of the table being read
	rows      []docxRow // rows of the table being read
	textSince bool      // a paragraph with text since the last table ended

	// The previous table's rows up to its task header, as written: a
	// continuation repeating them is part of the same table.
	prevHead [][]Cell
}

func (ts *docxTables) begin() {
	ts.gridCols, ts.rows = 0, nil
}

// end finishes the table being read: appended to the previous table when
// it continues it, else a new Table.
func (ts *docxTables) end(line int) {
	rows := docxGrid(ts.rows, ts.gridCols, nil)
	defer func() { ts.textSince, ts.rows = false, nil }()
	if len(rows) == 0 {
		return
	}
	if n := len(ts.tables); n > 0 && !ts.textSince && ts.prevHead != nil {
		prev := &ts.tables[n-1]
		if drop, ok := continues(ts.prevHead, ts.rows, rows); ok && len(prev.Rows[0]) == len(rows[0]) {
			more := docxGrid(ts.rows[drop:], ts.gridCols, prev.Rows[len(prev.Rows)-1])
			for i := range more {
				for j := range more[i] {
					more[i][j].Row = len(prev.Rows) + 1
				}
				prev.Rows = append(prev.Rows, more[i])
			}
			return
		}
	}
	ts.prevHead = nil
	if h, ok := gridHeader(rows); ok {
		for _, r := range rows[:h+1] {
			ts.prevHead = append(ts.prevHead, append([]Cell(nil), r...))
		}
		foldHeader(rows)
	}
	ts.tables = append(ts.tables, Table{Name: fmt.Sprintf("表格%d", len(ts.tables)+1), Line: line, Rows: rows})
}

func (ts *docxTables) done() []Table { return ts.tables }

// continues reports whether a table (raw rows and their grid) continues
// the task table whose header rows are head, and how many of its leading
// rows repeat that header.
func continues(head [][]Cell, raw []docxRow, rows [][]Cell) (int, bool) {
	drop := 0
	for drop < len(rows) && (raw[drop].header || repeatsHeader(head, rows[drop])) {
		drop++
	}
	if drop == len(rows) {
		return 0, false // only header rows: nothing to continue with
	}
	if _, ok := gridHeader(rows[drop:]); ok {
		return 0, false // a header of its own: another table
	}
	return drop, true
}

// repeatsHeader reports whether row has the same text as one of head.
func repeatsHeader(head [][]Cell, row []Cell) bool {
	for _, h := range head {
		if len(h) != len(row) {
			continue
		}
		same, text := true, false
		for j := range h {
			if cleanCell(h[j].Text) != cleanCell(row[j].Text) {
				same = false
				break
			}
			text = text || cleanCell(h[j].Text) != ""
		}
		if same && text {
			return true
		}
	}
	return false
}

// docxGrid lays the rows out on grid columns and resolves vertical merges;
// above is the row a merge at the top continues from (nil: none).
func docxGrid(raw []docxRow, gridCols int, above []Cell) [][]Cell {
	width := min(gridCols, maxDocxCols)
	for _, r := range raw {
		w := max(r.before, 0)
		for _, c := range r.cells {
			w += docxSpan(c)
		}
		width = max(width, min(w, maxDocxCols))
	}
	if width == 0 {
		return nil
	}
	out := make([][]Cell, 0, len(raw))
	for i, r := range raw {
		cells := make([]Cell, width)
		for j := range cells {
			cells[j].Row = i + 1
		}
		col := max(r.before, 0)
		for _, c := range r.cells {
			span := docxSpan(c)
			for k := 0; k < span && col+k < width; k++ {
				cell := &cells[col+k]
				switch {
				case c.vcont && above != nil && col+k < len(above):
					cell.Text, cell.Merged = above[col+k].Text, true
				case k == 0 && !c.hcont:
					cell.Text = strings.Join(c.lines, "\n")
				}
			}
			col += span
		}
		out = append(out, cells)
		above = cells
	}
	return out
}

func docxSpan(c docxCell) int {
	return min(max(c.span, 1), maxDocxCols)
}

// foldHeader folds a two-row task header into its first row: where the
// row below the header is itself a task header, each of its cells that is
// not a merge continuation and names a column gives the upper row its
// title (责任单位 spanning two columns becomes 牵头单位 | 协同单位). The
// lower row stays, and tableGrid skips it as a repeated header.
func foldHeader(rows [][]Cell) {
	h, ok := gridHeader(rows)
	if !ok || h+1 >= len(rows) {
		return
	}
	if _, again := gridHeader(rows[h+1 : h+2]); !again {
		return
	}
	for j, c := range rows[h+1] {
		if j < len(rows[h]) && !c.Merged && headerColumn(c.Text) != colOther {
			rows[h][j].Text = c.Text
		}
	}
}
