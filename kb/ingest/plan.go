package ingest

import "duban/kb"

// TODO(helper): genre of 003.
func isPlan(d *Document) bool { return false }

func extractPlan(d *Document) kb.Contents { return kb.Contents{} }
