package ingest

import "duban/kb"

// TODO(helper): genre of 002.
func isNotices(d *Document) bool { return false }

func extractNotices(d *Document) kb.Contents { return kb.Contents{} }
