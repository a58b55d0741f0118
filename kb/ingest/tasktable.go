package ingest

import "duban/kb"

func isTaskTables(d *Document) bool { return false }

func extractTaskTables(d *Document) kb.Contents { return kb.Contents{} }
