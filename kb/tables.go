package kb

import (
	"fmt"
	"sort"
	"strconv"
)

// Kinds of record table. A reader says what kind of table it found; the
// table's id follows from its kind and what the document says (TableID).
const (
	KindKeyTasks       = "key_tasks"       // a 重点工作任务分解表
	KindPeopleProjects = "people_projects" // a 为民办实事 / 民生实事 table
	KindProgressList   = "progress_list"   // a numbered task list with 进展情况
	KindMeasures       = "measures"        // measures with inline responsibility clauses
)

// kindRank orders kinds for Order: a bare task number means a key task
// first, then a 实事 project, then a progress-list task, then a measure.
var kindRank = map[string]int{KindKeyTasks: 0, KindPeopleProjects: 1, KindProgressList: 2, KindMeasures: 3}

// A TableInfo is the registry entry of one record table: what the document
// calls it and how officials name it. Readers fill it from the documents;
// nothing about a table is known to duban in advance.
type TableInfo struct {
	ID    Table    `json:"id"`
	Kind  string   `json:"kind"`
	Title string   `json:"title"`           // as the document titles it
	Year  int      `json:"year"`            // plan year, 0 when the document states none
	Place string   `json:"place,omitempty"` // issuing body's place, 如东 of 如东县
	Label string   `json:"label"`           // short name for answers: "2025年重点工作"
	Scope []string `json:"scope"`           // words of a question that select this table
	Order int      `json:"order"`           // precedence for a bare task number: lower first
	Doc   string   `json:"doc"`
	Line  int      `json:"line,omitempty"` // where the table or its title starts
	Genre string   `json:"genre"`          // the genre the document region was read as
	Rows  int      `json:"rows"`           // records read from it
	// Columns are the column roles found, in column order ("序号=no");
	// Merged the columns whose empty cells were read as vertical merges.
	// Both are for kb check; empty outside real tables.
	Columns []string `json:"columns,omitempty"`
	Merged  []string `json:"merged,omitempty"`
	// YearFrom says where Year came from ("title", "date line", "most
	// frequent year in the text"), for kb check.
	YearFrom string `json:"year_from,omitempty"`
}

// contractIDs keeps the ids DESIGN.md fixes for the seed tables whose
// documents do not name them the generic way: the 2019 progress list names
// its place only in passing, so its id is pinned here, in kb, by kind, place
// and year. Every other table's id is generic (TableID).
var contractIDs = map[string]Table{
	KindProgressList + "/南通/2019": Nantong2019,
}

// TableID derives a table's id from what its document says: key_tasks and
// people_projects for task tables (one of each per document set is usual;
// Contents.Merge renames a second one), progress_<year> and measures_<year>
// for lists, and the ids DESIGN.md pins for the seeds.
func TableID(kind, place string, year int) Table {
	if id, ok := contractIDs[kind+"/"+place+"/"+strconv.Itoa(year)]; ok {
		return id
	}
	switch kind {
	case KindKeyTasks, KindPeopleProjects:
		return Table(kind)
	case KindProgressList:
		kind = "progress"
	}
	if year > 0 {
		return Table(kind + "_" + strconv.Itoa(year))
	}
	return Table(kind)
}

// DefaultLabel is a table's short name for answers, built from its kind
// and year.
func DefaultLabel(kind string, year int) string {
	y := ""
	if year > 0 {
		y = strconv.Itoa(year) + "年"
	}
	switch kind {
	case KindKeyTasks:
		return y + "重点工作任务"
	case KindPeopleProjects:
		return y + "为民办实事项目"
	case KindProgressList:
		return y + "重点工作任务进展"
	case KindMeasures:
		return y + "措施"
	}
	return y + kind
}

// registerTables merges o's tables into c's registry. A table id already
// held by another document is renamed (id_year, then id_2, id_3 …) and
// o's records follow it; tables of one document with one id are one table
// (a table split by section headings). Merge runs in file-name order, so
// the result does not depend on load order within a name-sorted folder.
func (c *Contents) registerTables(o *Contents) {
	for i := range o.Tables {
		t := &o.Tables[i]
		if k := c.tableIndex(t.ID); k >= 0 {
			if c.Tables[k].Doc == t.Doc {
				c.Tables[k].Rows += t.Rows
				continue
			}
			old := t.ID
			t.ID = c.freeID(old, t.Year)
			for j := range o.Records {
				if o.Records[j].Table == old && o.Records[j].Doc == t.Doc {
					o.Records[j].Table = t.ID
				}
			}
		}
		t.Order = kindRank[t.Kind]*1000 + len(c.Tables)
		c.Tables = append(c.Tables, *t)
	}
}

func (c *Contents) tableIndex(id Table) int {
	for k, t := range c.Tables {
		if t.ID == id {
			return k
		}
	}
	return -1
}

func (c *Contents) freeID(id Table, year int) Table {
	if year > 0 {
		if y := Table(fmt.Sprintf("%s_%d", id, year)); c.tableIndex(y) < 0 {
			return y
		}
	}
	for n := 2; ; n++ {
		if x := Table(fmt.Sprintf("%s_%d", id, n)); c.tableIndex(x) < 0 {
			return x
		}
	}
}

// Tables returns the registry: every record table, by Order.
func (b *Base) Tables() []TableInfo {
	out := append([]TableInfo(nil), b.c.Tables...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

// Table returns the registry entry of table id and reports whether it exists.
func (b *Base) Table(id Table) (TableInfo, bool) {
	if k := b.c.tableIndex(id); k >= 0 {
		return b.c.Tables[k], true
	}
	return TableInfo{}, false
}

// Title returns table id's title as its document gives it, else the
// registry label, else the id.
func (b *Base) Title(id Table) string {
	if t, ok := b.Table(id); ok {
		if t.Title != "" {
			return t.Title
		}
		return t.Label
	}
	if s, ok := TableTitle[id]; ok {
		return s
	}
	return string(id)
}
