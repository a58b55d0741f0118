package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"duban/kb"
)

// The measures genre (000): a 若干措施 document whose items （一）…（二十）
// end with an inline responsibility clause, followed by action plans
// (…提升行动方案) whose items （一）… or 1. … carry clauses of their own.
//
// A record is an item that carries a responsibility clause, or an item
// without one that is not the heading of numbered sub-items (it is kept
// and warned about). Numbering: No counts the records of the document in
// order, so the measures of the 若干措施 come first and No 3 is its
// （三） — "第3条措施谁牵头" asks for it. The action plans' items continue
// the count (21, 22, …) with the plan's title as Section and their ordinal
// within the plan as Source.Row, so (table, no) stays a unique key for
// lookups and reminder ledgers. For the 若干措施, Section is the heading
// 一、更大力度实施兜底保障 above the measure and Row equals No.

var (
	// reMeasItem matches a measure: "（三）全力改善农民住房条件。…".
	reMeasItem = regexp.MustCompile(`^[（(]([一二三四五六七八九十]+)[）)]\s*(.*)$`)
	// reMeasSub matches a numbered sub-item "1.发挥统领型政策作用。…"; the
	// digit after the dot is excluded so "1.5万亩" is not an item.
	reMeasSub = regexp.MustCompile(`^(\d{1,3})\s*[.．、]\s*([^\d].*)?$`)
	// reMeasSection matches a section heading "一、更大力度实施兜底保障".
	reMeasSection = regexp.MustCompile(`^[一二三四五六七八九十]+、`)
	// reMeasDate is the date line under the issuers: "2019年10月24日".
	reMeasDate = regexp.MustCompile(`^(20\d\d)年\d{1,2}月\d{1,2}日$`)
	// reMeasRole finds the role words of a clause, longest first.
	reMeasRole = regexp.MustCompile(`按照?(?:职责|责任)分工(?:负责|落实)|牵头负责|牵头|配合|落实|负责`)
)

func isMeasures(d *Document) bool {
	n := 0
	for _, l := range d.Lines {
		if _, c, ok := trailingClause(strings.TrimSpace(l)); ok && (strings.Contains(c, "牵头") || strings.Contains(c, "分工")) {
			n++
		}
	}
	return n >= 3
}

// A measItem is one （n） or n. paragraph before it becomes a record.
type measItem struct {
	line    int
	sub     bool // a "1." item under a （n） item
	n       int  // its printed number
	text    string
	part    int // 0: the 若干措施; k: the k-th action plan
	section string
}

func extractMeasures(d *Document) kb.Contents {
	var c kb.Contents
	year, dated := measYear(d)
	// Until the document's own 若干措施 title is read, the part is named by
	// the document title.
	mainTitle := d.Title
	titles := []string{mainTitle} // by part
	warn := func(line int, title string, format string, a ...any) {
		c.Warnings = append(c.Warnings, kb.Warning{
			Source: kb.Source{File: d.File, Line: line, Title: title},
			Msg:    fmt.Sprintf(format, a...),
		})
	}
	if !dated {
		warn(0, mainTitle, "no date line found; 今年 taken as %d", year)
	}
	var items []measItem
	section := ""
	joinable := false // the previous line was an item without its clause yet
	for i, raw := range d.Lines {
		t := measTrim(raw)
		part := len(titles) - 1
		switch {
		case t == "":
			joinable = false
			continue
		case isMeasTitle(t, "措施") && part == 0:
			if p := prevNonBlank(d.Lines, i, 1); isMeasFragment(p) {
				t = p + t
			}
			titles[0] = t
		case isMeasTitle(t, "方案"):
			if p := prevNonBlank(d.Lines, i, 0); isMeasFragment(p) {
				t = p + t
			}
			titles = append(titles, t)
			section = ""
		case reMeasSection.MatchString(t):
			if part == 0 {
				section = t
			}
		case reMeasItem.MatchString(t):
			m := reMeasItem.FindStringSubmatch(t)
			items = append(items, measItem{line: i + 1, n: measNumeral(m[1]), text: m[2], part: part, section: section})
			_, _, done := trailingClause(t)
			joinable = !done
			continue
		case reMeasSub.MatchString(t):
			m := reMeasSub.FindStringSubmatch(t)
			n, _ := strconv.Atoi(m[1])
			items = append(items, measItem{line: i + 1, sub: true, n: n, text: m[2], part: part, section: section})
			_, _, done := trailingClause(t)
			joinable = !done
			continue
		case joinable:
			// A paragraph wrapped onto the next line: its clause comes later.
			it := &items[len(items)-1]
			it.text += t
			_, _, done := trailingClause(it.text)
			joinable = !done
			continue
		}
		joinable = false
	}
	id := kb.TableID(kb.KindMeasures, docPlace(d), year)
	c.Records = measRecords(d.File, id, items, titles, year, warn)
	yearFrom := "date line"
	if !dated {
		_, yearFrom = docYear(d)
	}
	c.Tables = []kb.TableInfo{{
		ID: id, Kind: kb.KindMeasures, Title: titles[0], Year: year, Place: docPlace(d),
		Label: kb.DefaultLabel(kb.KindMeasures, year), Scope: []string{"措施", "行动方案"},
		Doc: d.File, Genre: "measures", Rows: len(c.Records), YearFrom: yearFrom,
	}}
	return c
}

// measRecords numbers the items and turns them into records; see the
// numbering comment at the top of this file.
func measRecords(file string, id kb.Table, items []measItem, titles []string, year int, warn func(int, string, string, ...any)) []kb.Record {
	var recs []kb.Record
	no := 0
	rowInPart := map[int]int{}
	lastTop := map[int]int{} // last （n） per part
	lastSub := 0
	for i, it := range items {
		title := titles[it.part]
		if it.sub {
			if it.n != lastSub+1 {
				warn(it.line, title, "item %d. follows %d.", it.n, lastSub)
			}
			lastSub = it.n
		} else {
			if it.n != lastTop[it.part]+1 {
				warn(it.line, title, "item （%s） follows （%s）", measChinese(it.n), measChinese(lastTop[it.part]))
			}
			lastTop[it.part] = it.n
			lastSub = 0
		}
		text, clause, hasClause := trailingClause(it.text)
		if !hasClause {
			text = it.text
			// "（一）严格落实三类政策" heads the 1. 2. 3. items below it.
			if !it.sub && i+1 < len(items) && items[i+1].sub && items[i+1].part == it.part {
				continue
			}
		}
		no++
		rowInPart[it.part]++
		section := it.section
		if it.part > 0 {
			section = title
		}
		r := kb.Record{
			Doc: file, Table: id, Section: section, No: no,
			Text:        strings.TrimSpace(text),
			LeadLeaders: []string{}, LeadUnits: []string{}, CoUnits: []string{}, Inherited: []string{},
			Source: kb.Source{File: file, Line: it.line, Title: title, Row: rowInPart[it.part]},
		}
		if !hasClause {
			warn(it.line, title, "measure %d has no responsibility clause", no)
		} else {
			resp := parseClause(clause)
			r.LeadUnits, r.CoUnits, r.Implementers = resp.lead, resp.co, resp.impl
			if len(r.LeadUnits) == 0 {
				warn(it.line, title, "measure %d: no unit in clause %q", no, clause)
			}
		}
		r.Targets = measTargets(r.Text, year)
		setMeasDue(&r)
		if r.Due == nil && year > 0 {
			// "9月底前建成…", "年底前实现…": a date in the text without
			// a 到…年 target.
			datePhrases(&r, year, true, func(string, ...any) {})
		}
		recs = append(recs, r)
	}
	return recs
}

// setMeasDue sets Due to the end of the latest target year: a measure is
// done when its last dated target is met ("今年底…；到2020年底…" → 2020-12-31).
func setMeasDue(r *kb.Record) {
	best := -1
	for i, t := range r.Targets {
		if best < 0 || t.Year > r.Targets[best].Year {
			best = i
		}
	}
	if best < 0 {
		return
	}
	r.Due = kb.NewDate(r.Targets[best].Year, 12, 31)
	r.DeadlineText = measPhrase(r.Targets[best].Text)
}
