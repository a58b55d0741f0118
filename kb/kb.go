// Package kb holds the knowledge base: typed, cited records read from the
// government's task documents, and the queries the bot answers from.
// Building a Base from files is package ingest's job; kb itself does no I/O.
//
// Nothing in kb is specific to one county's documents except the table ids
// DESIGN.md pins for the seeds (tables.go): the table registry
// (Base.Tables) holds every table's title, year, label and scope words as
// the readers found them; units are shown as the documents write them and
// found under any spelling (Base.Unit, units.go); Base.Check is the
// operator's report on how the documents were read (`duban kb check`).
package kb

import (
	"strconv"
	"time"
)

// Location is Asia/Shanghai, the zone of every deadline and cron spec.
// Binaries import time/tzdata so it loads on machines without zoneinfo.
var Location = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// A fixed +08:00 zone is exact for Shanghai (no DST since 1991).
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// Contents is everything extracted from a set of documents.
type Contents struct {
	Records    []Record
	Tables     []TableInfo // the registry of record tables, filled by the readers
	Leaders    []Leader
	Members    []Member
	Duties     []Duty
	Indicators []Indicator
	Quotas     []Quota
	Phases     []Phase
	Boxes      []Box
	// Appointments are the decisions of 任免 notices.
	Appointments []Appointment
	Passages     []Passage
	Warnings     []Warning
	Docs         []Doc
	// UnitPairs are the short forms CanonicalUnits found beside full
	// forms ("海晟集团 = 海晟控股集团"), kept for kb check.
	UnitPairs []string
	// PlacedUnits are the unit spellings whose place tells them apart
	// from the same unit of the document's own place (市住建局 in a
	// document that also names 区住建局); see names.Places.
	PlacedUnits []string
	// PlacePairs are the units one document names under two places,
	// "市住建局 ≠ 住建局 (青溪区)", kept for kb check.
	PlacePairs []string
}

// A Doc is one loaded document.
type Doc struct {
	File  string `json:"file"`
	Title string `json:"title"`
	Lines int    `json:"lines"`
	// Genres are the genres the document was read as, with the evidence
	// ("numbered list with progress: 4 numbered tasks, 4 进展情况"), and
	// the genres it was not read as although they matched.
	Genres []string `json:"genres,omitempty"`
}

// Merge appends o to c.
// Tables of o whose id another document already holds are renamed, with
// their records (see registerTables).
func (c *Contents) Merge(o Contents) {
	c.registerTables(&o)
	c.Records = append(c.Records, o.Records...)
	c.Leaders = append(c.Leaders, o.Leaders...)
	c.Members = append(c.Members, o.Members...)
	c.Duties = append(c.Duties, o.Duties...)
	c.Indicators = append(c.Indicators, o.Indicators...)
	c.Quotas = append(c.Quotas, o.Quotas...)
	c.Phases = append(c.Phases, o.Phases...)
	c.Boxes = append(c.Boxes, o.Boxes...)
	c.Appointments = append(c.Appointments, o.Appointments...)
	c.Passages = append(c.Passages, o.Passages...)
	c.Warnings = append(c.Warnings, o.Warnings...)
	c.Docs = append(c.Docs, o.Docs...)
	c.UnitPairs = append(c.UnitPairs, o.UnitPairs...)
	c.PlacedUnits = appendNew(c.PlacedUnits, o.PlacedUnits...)
	c.PlacePairs = appendNew(c.PlacePairs, o.PlacePairs...)
}

func itoa(i int) string { return strconv.Itoa(i) }
