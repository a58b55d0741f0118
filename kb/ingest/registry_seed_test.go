package ingest

import (
	"testing"

	"duban/kb"
)

// TestSeedRegistry pins the seed tables' registry entries: the ids of the
// DESIGN.md contract, read from the documents, with years and row counts.
func TestSeedRegistry(t *testing.T) {
	c := loadSeeds(t)
	want := []struct {
		id   kb.Table
		kind string
		year int
		rows int
	}{
		{kb.KeyTasks, kb.KindKeyTasks, 2020, 173},
		{kb.PeopleProjects, kb.KindPeopleProjects, 2020, 50},
		{kb.Nantong2019, kb.KindProgressList, 2019, 100},
		{kb.Measures2019, kb.KindMeasures, 2019, 0},
	}
	byID := map[kb.Table]kb.TableInfo{}
	for _, ti := range c.Tables {
		if _, dup := byID[ti.ID]; dup {
			t.Errorf("table %s registered twice", ti.ID)
		}
		byID[ti.ID] = ti
	}
	rows := map[kb.Table]int{}
	for _, r := range c.Records {
		rows[r.Table]++
		if _, ok := byID[r.Table]; !ok {
			t.Errorf("record %s/%d: table not in the registry", r.Table, r.No)
		}
	}
	for _, w := range want {
		ti, ok := byID[w.id]
		if !ok {
			t.Errorf("table %s missing from the registry %v", w.id, c.Tables)
			continue
		}
		if ti.Kind != w.kind || ti.Year != w.year || ti.Title == "" || ti.Label == "" {
			t.Errorf("table %s = kind %q year %d title %q label %q, want kind %q year %d", w.id, ti.Kind, ti.Year, ti.Title, ti.Label, w.kind, w.year)
		}
		if ti.Rows != rows[w.id] || (w.rows > 0 && ti.Rows != w.rows) {
			t.Errorf("table %s rows = %d (records %d), want %d", w.id, ti.Rows, rows[w.id], w.rows)
		}
	}
	if byID[kb.KeyTasks].Order >= byID[kb.PeopleProjects].Order || byID[kb.PeopleProjects].Order >= byID[kb.Nantong2019].Order {
		t.Errorf("orders %d %d %d: want key tasks before 实事 before the progress list",
			byID[kb.KeyTasks].Order, byID[kb.PeopleProjects].Order, byID[kb.Nantong2019].Order)
	}
}
