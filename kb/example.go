package kb

import "strings"

// An Example is a real task and unit of the loaded documents, for help
// text and suggested questions: "5号任务谁牵头", "住房和城乡建设局牵头哪些任务".
// Help built from it never names a seed document's task to another county.
type Example struct {
	Table Table  // the table a bare task number means (lowest Order)
	Label string // its registry label
	No    int    // a task number of that table with a lead unit
	Text  string // that task's text
	Unit  string // the unit leading the most tasks (not a collective)
	Due   *Date  // a dated task's due date, nil when none is dated
}

// Example returns an example from the documents, and false when no table
// holds a task.
func (b *Base) Example() (Example, bool) {
	var ex Example
	tables := b.Tables()
	for _, t := range tables {
		for _, r := range b.c.Records {
			if r.Table == t.ID && len(r.LeadUnits) > 0 && r.No > 0 {
				ex.Table, ex.Label, ex.No, ex.Text = t.ID, t.Label, r.No, r.Text
				break
			}
		}
		if ex.No > 0 {
			break
		}
	}
	if ex.No == 0 {
		return ex, false
	}
	best := 0
	for _, u := range b.units { // sorted: ties go to the first name
		if strings.HasPrefix(u, "各") || len(b.byLead[u]) <= best {
			continue
		}
		best, ex.Unit = len(b.byLead[u]), u
	}
	for _, r := range b.c.Records {
		if r.Table == ex.Table && r.Due != nil {
			ex.Due = r.Due
			break
		}
	}
	return ex, true
}
