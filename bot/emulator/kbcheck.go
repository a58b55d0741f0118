package emulator

// A CheckSection is one part of the `duban kb check` report on the
// knowledge-base page: how each document was read, each table's column
// roles and merged columns, units to look at, undated deadlines, rows
// without a lead unit.
type CheckSection struct {
	Title string   `json:"title"`
	Lines []string `json:"lines"`
}
