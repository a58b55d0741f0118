package ingest

import (
	"fmt"
	"strings"

	"duban/kb"
)

// A genre is one kind of document (DESIGN.md lists five).
type genre struct {
	name  string
	match func(*Document) bool
	// evidence counts what the genre recognised, for choosing between
	// genres that read the same paragraphs and for kb check.
	evidence func(*Document) (int, string)
	extract  func(*Document) kb.Contents
	// paragraphs: the genre reads numbered paragraphs as records. Two such
	// genres never both read one document: a progress report's tasks end
	// with responsibility clauses as measures do, and read twice they would
	// answer twice under two tables. The one with more evidence wins; on a
	// tie the earlier in genres, the more specific.
	paragraphs bool
}

var genres = []genre{
	{"task tables", isTaskTables, taskTableEvidence, extractTaskTables, false},           // 004
	{"numbered list with progress", isNumbered, numberedEvidence, extractNumbered, true}, // 001
	{"measures", isMeasures, measuresEvidence, extractMeasures, true},                    // 000
	{"notices", isNotices, nil, extractNotices, false},                                   // 002
	{"plan", isPlan, nil, extractPlan, false},                                            // 003
}

// chooseGenres returns the genres that read d, in genres order, with the
// evidence for each ("numbered list with progress: 4 tasks, 4 进展情况").
// The choice depends on d alone, so it is the same on every run.
func chooseGenres(d *Document) ([]genre, []string) {
	var chosen []genre
	var report []string
	best, bestScore := -1, 0
	for i, g := range genres {
		if !g.match(d) {
			continue
		}
		n, why := 0, ""
		if g.evidence != nil {
			n, why = g.evidence(d)
		}
		if g.paragraphs {
			if best >= 0 && n <= bestScore {
				report = append(report, fmt.Sprintf("not %s: %s, less evidence than %s", g.name, why, genres[best].name))
				continue
			}
			if best >= 0 {
				report = append(report, fmt.Sprintf("not %s: less evidence than %s", genres[best].name, g.name))
				chosen = removeGenre(chosen, genres[best].name)
			}
			best, bestScore = i, n
		}
		chosen = append(chosen, g)
		if why != "" {
			report = append(report, g.name+": "+why)
		} else {
			report = append(report, g.name)
		}
	}
	return chosen, report
}

func removeGenre(gs []genre, name string) []genre {
	out := gs[:0:0]
	for _, g := range gs {
		if g.name != name {
			out = append(out, g)
		}
	}
	return out
}

func taskTableEvidence(d *Document) (int, string) {
	n := len(d.textTaskGrids())
	for _, t := range d.Tables {
		if _, ok := gridHeader(t.Rows); ok {
			n++
		}
	}
	return n, fmt.Sprintf("%d task table header(s)", n)
}

func numberedEvidence(d *Document) (int, string) {
	tasks, progress := 0, 0
	for _, l := range d.Lines {
		t := strings.TrimSpace(l)
		switch {
		case reNumProgress.MatchString(t):
			progress++
		case reNumTask.MatchString(t):
			tasks++
		}
	}
	// A 进展情况 paragraph under a numbered task is what only a progress
	// report has: it counts double against measures' clauses.
	return 2 * min(tasks, progress), fmt.Sprintf("%d numbered tasks, %d 进展情况", tasks, progress)
}

func measuresEvidence(d *Document) (int, string) {
	n := 0
	for _, l := range d.Lines {
		if _, c, ok := trailingClause(strings.TrimSpace(l)); ok && (strings.Contains(c, "牵头") || strings.Contains(c, "分工")) {
			n++
		}
	}
	return n, fmt.Sprintf("%d responsibility clauses", n)
}
