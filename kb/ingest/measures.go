package ingest

import "duban/kb"

// TODO(helper): genre of 000.
func isMeasures(d *Document) bool { return false }

func extractMeasures(d *Document) kb.Contents { return kb.Contents{} }
