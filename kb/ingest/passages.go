package ingest

import "duban/kb"

func passages(d *Document) []kb.Passage { return nil }
