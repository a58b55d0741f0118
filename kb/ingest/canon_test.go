package ingest

import (
	"duban/kb"
	"duban/kb/names"
)

// canon names c's units as the knowledge base shows them (kb.CanonicalUnits):
// extractors keep units as written, and tests of one document check the
// names an official would see.
func canon(c kb.Contents) kb.Contents {
	kb.CanonicalUnits(&c)
	return c
}

// shortNames maps units as written to the curated short names (nil stays nil).
func shortNames(us []string) []string {
	if us == nil {
		return nil
	}
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = names.Short(u)
	}
	return out
}
