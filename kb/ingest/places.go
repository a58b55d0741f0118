package ingest

import (
	"reflect"
	"strings"
	"unicode/utf8"

	"duban/kb"
	"duban/kb/names"
)

// Units of two places in one document (names.Places): a document that
// names 市住建局 and 区住建局 keeps them apart. The readers strip places
// (names.Written), so before they run the mentions whose place must stay
// are marked (市 + names.Mark + 住建局) in a copy of the document; once the
// records are built the marks are taken out and the kept spellings listed
// in Contents.PlacedUnits.

// unitTokens returns the spans of s that can be unit mentions: items of a
// list or a cell, between list punctuation, white space, a label's colon,
// a parenthesis or the ends of s. Clauses of prose, ended by ， or 。, are
// not lists (开工建设市为老服务中心，…) and yield no span.
func unitTokens(s string) [][2]int {
	var out [][2]int
	start, okLeft := -1, true
	for i, r := range s {
		prose := r == '，' || r == '。'
		sep := prose || isListSep(r)
		switch {
		case sep && start >= 0:
			if okLeft && !prose {
				out = append(out, [2]int{start, i})
			}
			start, okLeft = -1, !prose
		case sep:
			okLeft = !prose
		case start < 0:
			start = i
		}
	}
	if start >= 0 && okLeft {
		out = append(out, [2]int{start, len(s)})
	}
	return out
}

// isListSep reports whether r separates the items of a list: list
// punctuation, white space, a label's colon, a parenthesis.
func isListSep(r rune) bool {
	switch r {
	case '、', '；', ';', '/', ',', '：', ':', '（', '）', '(', ')', '\n', '\t', ' ', '\u3000':
		return true
	}
	return false
}

// isPlacedMention reports whether t looks like a unit under a place: a
// short token ending like a unit, whose prefix is made of places — a bare
// level (市, 区) or a place name of two or three characters with its level
// (如皋市, 江苏省南通市) — followed by a unit (委常委 of 区委常委 is none).
func isPlacedMention(t string) bool {
	n := utf8.RuneCountInString(t)
	if n < 4 || n > 24 || !hasUnitSuffix(t) {
		return false
	}
	place, unit := names.SplitPlace(t)
	if place == "" || (strings.HasPrefix(unit, "委") && !names.IsCurated(unit)) {
		return false
	}
	name := []rune{}
	for _, r := range place {
		if !strings.ContainsRune("省市县区旗", r) {
			name = append(name, r)
			continue
		}
		if len(name) > 3 || (len(name) > 0 && !placeName(string(name))) {
			return false
		}
		name = name[:0]
	}
	return len(name) == 0 // a bare name (海门开发区) is no level of its own
}

// placeName reports whether name, before its level, can name a place: no
// function characters (设在区 of 设在区地方金融监管局) and no 全/本/各/该.
// Unlike isPlace it takes 海门 (a place ending like 部门).
func placeName(name string) bool {
	r := []rune(name)
	return len(r) >= 2 && !strings.ContainsAny(name, notInPlace) && !strings.ContainsRune("全本各该", r[0])
}

// docPlaces reads which units doc names under two places.
func docPlaces(doc *Document) *names.Places {
	var mentions []string
	add := func(s string) {
		for _, sp := range unitTokens(s) {
			if t := s[sp[0]:sp[1]]; isPlacedMention(t) {
				mentions = append(mentions, t)
			}
		}
	}
	for _, l := range doc.Lines {
		add(l)
	}
	for _, t := range doc.Tables {
		for _, row := range t.Rows {
			for _, c := range row {
				add(c.Text)
			}
		}
	}
	own, level := docPlaceFull(doc)
	return names.NewPlaces(own, level, mentions)
}

// keepPlaces returns a copy of doc whose mentions of units of another
// place are marked (names.Places.Keep); doc itself is not changed.
func keepPlaces(doc *Document, p *names.Places) *Document {
	mark := func(s string) string {
		var b strings.Builder
		last := 0
		for _, sp := range unitTokens(s) {
			t := s[sp[0]:sp[1]]
			if !isPlacedMention(t) {
				continue
			}
			if k := p.Keep(t); k != t {
				b.WriteString(s[last:sp[0]])
				b.WriteString(k)
				last = sp[1]
			}
		}
		if last == 0 {
			return s
		}
		b.WriteString(s[last:])
		return b.String()
	}
	cp := &Document{File: doc.File, Title: doc.Title, NumLines: doc.NumLines, place: doc.place}
	cp.Lines = make([]string, len(doc.Lines))
	for i, l := range doc.Lines {
		cp.Lines[i] = mark(l)
	}
	cp.Tables = make([]Table, len(doc.Tables))
	for i, t := range doc.Tables {
		t.Rows = append([][]Cell(nil), t.Rows...)
		for j, row := range t.Rows {
			row = append([]Cell(nil), row...)
			for k := range row {
				row[k].Text = mark(row[k].Text)
			}
			t.Rows[j] = row
		}
		cp.Tables[i] = t
	}
	return cp
}

// unmarkPlaces takes the marks out of c, listing each unit whose place was
// kept in c.PlacedUnits and the pairs in c.PlacePairs.
func unmarkPlaces(c *kb.Contents, p *names.Places) {
	seen := map[string]bool{}
	unit := func(u string) string {
		if !strings.ContainsRune(u, names.Mark) {
			return u
		}
		u = names.Unmark(u)
		if !seen[u] {
			seen[u] = true
			c.PlacedUnits = append(c.PlacedUnits, u)
		}
		return u
	}
	list := func(in []string) []string {
		for i, u := range in {
			in[i] = unit(u)
		}
		return in
	}
	for i := range c.Records {
		r := &c.Records[i]
		list(r.LeadUnits)
		list(r.CoUnits)
		list(r.Implementers)
		// A task text never names a unit as a whole token; a mark that
		// got there all the same is taken out.
		r.Text, r.Section, r.Progress = names.Unmark(r.Text), names.Unmark(r.Section), names.Unmark(r.Progress)
		r.DeadlineText, r.Qualifier = names.Unmark(r.DeadlineText), names.Unmark(r.Qualifier)
	}
	for i := range c.Leaders {
		l := &c.Leaders[i]
		list(l.Oversees)
		list(l.Liaises)
		for j, a := range l.Assists {
			if u, ok := strings.CutPrefix(a, "分管"); ok {
				l.Assists[j] = "分管" + unit(u)
			}
		}
	}
	for i := range c.Duties {
		c.Duties[i].Unit = unit(c.Duties[i].Unit)
	}
	unmarkAll(reflect.ValueOf(c).Elem())
	c.PlacePairs = append(c.PlacePairs, p.Pairs()...)
}

// unmarkAll takes any mark left out of every string v holds (an
// indicator's or a quota's unit, a passage): the readers of every genre
// see the marked copy.
func unmarkAll(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(names.Unmark(v.String()))
		}
	case reflect.Pointer:
		if !v.IsNil() {
			unmarkAll(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			unmarkAll(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			unmarkAll(v.Index(i))
		}
	case reflect.Map:
		// Contents holds no maps of text; none is walked.
	}
}
