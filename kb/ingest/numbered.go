package ingest

import "duban/kb"

// TODO(helper): genre of 001.
func isNumbered(d *Document) bool { return false }

func extractNumbered(d *Document) kb.Contents { return kb.Contents{} }
