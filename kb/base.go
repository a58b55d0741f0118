package kb

import (
	"errors"
	"sort"
	"time"

	"duban/kb/names"
)

// A Base is a loaded knowledge base. It is immutable after New and safe for
// concurrent use; a reload builds a new Base and swaps it in whole.
type Base struct {
	c         Contents
	byTable   map[Table]map[int]int // table → no → index in c.Records
	byLead    map[string][]int      // canonical unit → records it leads
	byCo      map[string][]int      // canonical unit → records it co-operates on
	byLeader  map[string][]int      // person → records they lead
	units     []string              // every unit name known, canonical
	persons   []string              // every person name known
	unitNames *unitNames            // how each unit spelling is shown (units.go)
	index     *Index
	recIndex  *Index // task records' text and section
	loaded    time.Time
}

// Options are how a base is built. The zero value indexes in memory.
type Options struct {
	// Indexes keeps the full-text indexes on disk and shares them with
	// the bases built after this one; nil: in memory, the base's own.
	Indexes *IndexStore
	// Lazy builds the in-memory indexes when first needed (a search, a
	// weight, WaitIndexed) instead of at once in the background: for a
	// one-shot command that may never search (kb dump, remind).
	Lazy bool
}

// New indexes c in memory. Records keep the order of c.
func New(c Contents) (*Base, error) { return NewWith(c, Options{}) }

// NewWith indexes c as o says. The structured records are ready when it
// returns; the full-text indexes build in the background (WaitIndexed).
func NewWith(c Contents, o Options) (*Base, error) {
	un := buildUnitNames(collectUnits(&c), c.PlacedUnits)
	un.rename(&c)
	b := &Base{
		unitNames: un,
		c:         c,
		byTable:   map[Table]map[int]int{},
		byLead:    map[string][]int{},
		byCo:      map[string][]int{},
		byLeader:  map[string][]int{},
		loaded:    time.Now(),
	}
	units := map[string]bool{}
	persons := map[string]bool{}
	for i, r := range c.Records {
		if b.byTable[r.Table] == nil {
			b.byTable[r.Table] = map[int]int{}
		}
		if _, dup := b.byTable[r.Table][r.No]; !dup {
			b.byTable[r.Table][r.No] = i
		}
		for _, u := range r.LeadUnits {
			b.byLead[u] = append(b.byLead[u], i)
			units[u] = true
		}
		for _, u := range r.CoUnits {
			b.byCo[u] = append(b.byCo[u], i)
			units[u] = true
		}
		for _, u := range r.Implementers {
			units[u] = true
		}
		for _, p := range r.LeadLeaders {
			b.byLeader[p] = append(b.byLeader[p], i)
			if !names.IsCollective(p) {
				persons[p] = true
			}
		}
	}
	for _, l := range c.Leaders {
		persons[l.Name] = true
		for _, u := range l.Oversees {
			units[u] = true
		}
	}
	for _, m := range c.Members {
		persons[m.Name] = true
	}
	for _, d := range c.Duties {
		units[d.Unit] = true
	}
	delete(units, "")
	delete(persons, "")
	b.units = sortedKeys(units)
	b.persons = sortedKeys(persons)
	recs := make([]Passage, len(c.Records))
	for i, r := range c.Records {
		recs[i] = Passage{Doc: r.Doc, Title: string(r.Table), Heading: r.Section, Text: r.Text, Source: r.Source}
	}
	if o.Indexes != nil {
		b.index = o.Indexes.index(passagesIndex, c.Passages)
		b.recIndex = o.Indexes.index(recordsIndex, recs)
		return b, nil
	}
	var err error
	if b.index, err = newMemoryIndex(c.Passages); err != nil {
		return nil, err
	}
	if b.recIndex, err = newMemoryIndex(recs); err != nil {
		b.index.Close()
		return nil, err
	}
	if !o.Lazy {
		b.index.start()
		b.recIndex.start()
	}
	return b, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Contents returns everything the base holds. Callers must not modify it.
func (b *Base) Contents() *Contents { return &b.c }

// Records returns every task record.
func (b *Base) Records() []Record { return b.c.Records }

// Task returns the record numbered no in table t and reports whether it exists.
func (b *Base) Task(t Table, no int) (Record, bool) {
	i, ok := b.byTable[t][no]
	if !ok {
		return Record{}, false
	}
	return b.c.Records[i], true
}

// Count returns how many records table t holds.
func (b *Base) Count(t Table) int { return len(b.byTable[t]) }

// ByUnit returns the records unit leads (lead) or co-operates on (!lead), in
// table order. unit is canonicalised.
func (b *Base) ByUnit(unit string, lead bool) []Record {
	m := b.byCo
	if lead {
		m = b.byLead
	}
	return b.pick(m[b.Unit(unit)])
}

// ByLeader returns the records person leads, in table order.
func (b *Base) ByLeader(person string) []Record {
	return b.pick(b.byLeader[names.Clean(person)])
}

func (b *Base) pick(idx []int) []Record {
	out := make([]Record, len(idx))
	for i, k := range idx {
		out[i] = b.c.Records[k]
	}
	return out
}

// Due returns the records whose due date lies in [from, to), earliest first.
func (b *Base) Due(from, to time.Time) []Record {
	var out []Record
	for _, r := range b.c.Records {
		if r.Due != nil && !r.Due.Before(from) && r.Due.Before(to) {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due.Before(out[j].Due.Time) })
	return out
}

// Units returns every unit name the documents mention, canonical, sorted.
func (b *Base) Units() []string { return b.units }

// Persons returns every person the documents name, sorted.
func (b *Base) Persons() []string { return b.persons }

// Leader returns the division of labour of the named leader.
func (b *Base) Leader(name string) (Leader, bool) {
	name = names.Clean(name)
	for _, l := range b.c.Leaders {
		if l.Name == name {
			return l, true
		}
	}
	return Leader{}, false
}

// Overseers returns the leaders who 分管 unit or 协助分管 it.
func (b *Base) Overseers(unit string) []Leader {
	u := b.Unit(unit)
	var out []Leader
	for _, l := range b.c.Leaders {
		if oversees(l, u) {
			out = append(out, l)
		}
	}
	return out
}

// oversees reports whether l 分管 or 协助分管 unit u.
func oversees(l Leader, u string) bool {
	for _, o := range l.Oversees {
		if o == u {
			return true
		}
	}
	for _, a := range l.Assists {
		if a == "分管"+u {
			return true
		}
	}
	return false
}

// Search returns up to n passages best matching q.
func (b *Base) Search(q string, n int) []Hit { return b.index.Search(q, n) }

// SearchRecords returns up to n task records whose text best matches q,
// best first, with their scores.
func (b *Base) SearchRecords(q string, n int) ([]Record, []float64) {
	hits := b.recIndex.Search(q, n)
	recs := make([]Record, 0, len(hits))
	scores := make([]float64, 0, len(hits))
	for _, h := range hits {
		recs = append(recs, b.c.Records[h.N])
		scores = append(scores, h.Score)
	}
	return recs, scores
}

// Weight returns how telling a term is across all passages (see Index.Weight).
func (b *Base) Weight(term string) float64 {
	if b.index.Len() == 0 {
		return b.recIndex.Weight(term) // a small base of records only
	}
	return b.index.Weight(term)
}

// CharWeight returns how telling a character is across all passages.
func (b *Base) CharWeight(r rune) float64 {
	if b.index.Len() == 0 {
		return b.recIndex.CharWeight(r)
	}
	return b.index.CharWeight(r)
}

// Terms splits s into the full-text index's terms.
func (b *Base) Terms(s string) []string { return b.index.Terms(s) }

// WaitIndexed blocks until the full-text indexes are built (they build in
// the background after New) and returns their error.
func (b *Base) WaitIndexed() error {
	return errors.Join(b.index.Wait(), b.recIndex.Wait())
}

// IndexStats waits for the full-text indexes and says what building them
// did: passages and task records.
func (b *Base) IndexStats() (passages, records IndexStats) {
	return b.index.Stats(), b.recIndex.Stats()
}

// Close releases the full-text indexes. Call it when no question can still
// be using the base (after a reload's grace period).
func (b *Base) Close() error {
	return errors.Join(b.index.Close(), b.recIndex.Close())
}

// Loaded returns when the base was built.
func (b *Base) Loaded() time.Time { return b.loaded }
