package mcp

import (
	"sort"

	"duban/kb"
)

// record converts r for output, with its status when the server can read
// statuses.
func (s *Server) record(b *kb.Base, r kb.Record) Task {
	t := Task{
		Table:        string(r.Table),
		TableTitle:   b.Title(r.Table),
		No:           r.No,
		Section:      r.Section,
		Text:         r.Text,
		LeadLeaders:  nonNil(r.LeadLeaders),
		LeadUnits:    nonNil(r.LeadUnits),
		CoUnits:      nonNil(r.CoUnits),
		Implementers: r.Implementers,
		DeadlineText: r.DeadlineText,
		Due:          r.Due.ISO(),
		Qualifier:    r.Qualifier,
		Inherited:    r.Inherited,
		Progress:     r.Progress,
		Source:       source(r.Source, r.Table),
	}
	for _, g := range r.Targets {
		t.Targets = append(t.Targets, g.Text)
	}
	if s.cfg.Status != nil {
		t.Status = status(s.cfg.Status(r.Table, r.No))
	}
	return t
}

// nonNil keeps lists that are empty by the document ([] co-units) apart
// from absent ones in the JSON.
func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// sortRecords orders records as the bot lists them: by table (registry
// order), then number.
func sortRecords(b *kb.Base, recs []kb.Record) {
	rank := tableRanks(b)
	sort.SliceStable(recs, func(i, j int) bool {
		if ri, rj := rank[recs[i].Table], rank[recs[j].Table]; ri != rj {
			return ri < rj
		}
		return recs[i].No < recs[j].No
	})
}
