package kb

import (
	"sort"
	"strings"
	"unicode/utf8"

	"duban/kb/names"
)

// Unit names across a document set. Readers store units as written (place
// prefixes stripped, names.Written). New groups the spellings that name
// one unit — one names.Unit key (the curated national table, place and
// company forms), or a short form found beside its full form in the
// documents (海晟集团 = 海晟控股集团, 供水公司 = 城乡供水公司) — and shows each
// group under one name:
//
//   - where the documents themselves mostly write the curated short names
//     (交通局, 住建局, as the seeds' task tables do), that short name;
//   - otherwise the documents' own most frequent spelling
//     (发展和改革局 stays 发展和改革局, never the seeds' 发改委), the
//     others becoming its aliases.
//
// Ties go to the spelling seen first, in document order: no map order
// decides a name.

// unitNames is the result: display name per spelling and per key.
type unitNames struct {
	display map[string]string   // written spelling or key → display name
	aliases map[string][]string // display name → every spelling seen, display first
	// pairs lists the groups merged by a short form found in the
	// documents, "short = long", for kb check.
	pairs []string
	// placed holds the display names of units whose place is kept
	// (市住建局 beside 区住建局 in one document; names.Places).
	placed map[string]bool
}

// collectUnits returns every unit mention of c, in document order.
func collectUnits(c *Contents) []string {
	var out []string
	for _, r := range c.Records {
		out = append(out, r.LeadUnits...)
		out = append(out, r.CoUnits...)
		out = append(out, r.Implementers...)
	}
	for _, l := range c.Leaders {
		out = append(out, l.Oversees...)
		out = append(out, l.Liaises...)
		for _, a := range l.Assists {
			if u, ok := strings.CutPrefix(a, "分管"); ok {
				out = append(out, u)
			}
		}
	}
	for _, d := range c.Duties {
		out = append(out, d.Unit)
	}
	return out
}

// buildUnitNames groups mentions; placed lists the spellings whose place
// prefix is kept (Contents.PlacedUnits): they are keyed by place and unit
// (市住建局), apart from the unit of the documents' own place.
func buildUnitNames(mentions, placed []string) *unitNames {
	isPlaced := map[string]bool{}
	for _, p := range placed {
		isPlaced[p] = true
	}
	key := func(m string) string {
		if isPlaced[m] {
			return names.PlacedUnit(m)
		}
		return names.Unit(m)
	}
	shortName := func(m string) string {
		if isPlaced[m] {
			return names.PlacedShort(m)
		}
		return names.Short(m)
	}
	type group struct {
		key    string
		counts map[string]int
		order  []string // spellings, first seen first
		total  int
	}
	groups := map[string]*group{}
	var keys []string
	curated, short := 0, 0
	for _, m := range mentions {
		if m == "" {
			continue
		}
		k := key(m)
		g := groups[k]
		if g == nil {
			g = &group{key: k, counts: map[string]int{}}
			groups[k] = g
			keys = append(keys, k)
		}
		if g.counts[m] == 0 {
			g.order = append(g.order, m)
		}
		g.counts[m]++
		g.total++
		if !names.IsCollective(m) && names.IsCurated(m) {
			curated++
			if shortName(m) == m {
				short++
			}
		}
	}
	shortStyle := curated > 0 && 2*short >= curated
	// Short forms found in the documents: a key that abbreviates exactly
	// one other key joins its group.
	parent := map[string]string{}
	un := &unitNames{display: map[string]string{}, aliases: map[string][]string{}, placed: map[string]bool{}}
	placedKey := map[string]bool{}
	for _, m := range placed {
		placedKey[names.PlacedUnit(m)] = true
	}
	var units []string // the keys that are not collectives nor placed
	for _, k := range keys {
		if !names.IsCollective(k) && !placedKey[k] {
			units = append(units, k)
		}
	}
	for _, s := range units {
		var longs []string
		for _, l := range units {
			if l != s && abbreviates(s, l) {
				longs = append(longs, l)
			}
		}
		if len(longs) == 1 && parent[longs[0]] == "" {
			parent[s] = longs[0]
			un.pairs = append(un.pairs, s+" = "+longs[0])
		}
	}
	root := func(k string) string {
		for parent[k] != "" {
			k = parent[k]
		}
		return k
	}
	members := map[string][]string{} // root key → keys, in first-seen order
	var roots []string
	for _, k := range keys {
		r := root(k)
		if members[r] == nil {
			roots = append(roots, r)
		}
		members[r] = append(members[r], k)
	}
	for _, r := range roots {
		var spellings []string
		counts := map[string]int{}
		for _, k := range members[r] {
			for _, s := range groups[k].order {
				spellings = append(spellings, s)
				counts[s] += groups[k].counts[s]
			}
		}
		best := spellings[0]
		for _, s := range spellings[1:] {
			if counts[s] > counts[best] {
				best = s
			}
		}
		switch {
		case shortStyle && len(members[r]) == 1:
			// The curated short name, where it abbreviates the documents'
			// spelling (交通运输局 → 交通局); a county's 水务局 or 教育局 is
			// not renamed into another county's 水利局 or 教体局.
			if s := shortName(best); s == best || shortens(s, best) || counts[s] > 0 {
				best = s
			}
		case shortStyle:
			// Officials who write short names say the short form of a
			// company or office the documents also name in full.
			for _, s := range spellings {
				if utf8.RuneCountInString(s) < utf8.RuneCountInString(best) {
					best = s
				}
			}
		}
		for _, k := range members[r] {
			un.display[k] = best
			if placedKey[k] {
				un.placed[best] = true
			}
		}
		seen := map[string]bool{best: true}
		al := []string{best}
		for _, s := range spellings {
			un.display[s] = best
			if !seen[s] {
				seen[s] = true
				al = append(al, s)
			}
		}
		un.aliases[best] = al
	}
	return un
}

// abbreviates reports whether short is an abbreviation of long: same first
// and last character (委 standing for 委员会), the rest of short in order
// inside long, and long the longer (住建局 of 住房和城乡建设局, 海晟集团 of
// 海晟控股集团), or short the tail of a company's name (供水公司 of
// 城乡供水公司).
func abbreviates(short, long string) bool {
	if len(long) <= len(short) {
		return false // quick: most pairs end here
	}
	short = strings.TrimSuffix(short, "员会")
	long = strings.TrimSuffix(long, "员会")
	if utf8.RuneCountInString(short) < 3 || utf8.RuneCountInString(long) <= utf8.RuneCountInString(short) {
		return false
	}
	if (strings.HasSuffix(short, "公司") || strings.HasSuffix(short, "集团")) && strings.HasSuffix(long, short) {
		return true
	}
	s, l := []rune(short), []rune(long)
	if s[0] != l[0] || s[len(s)-1] != l[len(l)-1] {
		return false
	}
	i := 0
	for _, r := range l {
		if i < len(s) && r == s[i] {
			i++
		}
	}
	return i == len(s)
}

// shortens reports whether the curated short name s is a short form of
// the spelling w: its characters in order inside w (交通局 of 交通运输局,
// 法院 of 人民法院), or w a fragment left by a 市委/县委 prefix (委办公室).
func shortens(s, w string) bool {
	if strings.HasPrefix(w, "委") {
		return true
	}
	rs := []rune(s)
	i := 0
	for _, r := range w {
		if i < len(rs) && r == rs[i] {
			i++
		}
	}
	return i == len(rs)
}

// name returns the display name of a unit spelling.
func (un *unitNames) name(s string) string {
	if d, ok := un.display[s]; ok {
		return d
	}
	if d, ok := un.display[names.Unit(s)]; ok {
		return d
	}
	return s
}

// rename rewrites every unit of c to its display name, in new slices
// (the readers' contents may be shared with a previous base).
func (un *unitNames) rename(c *Contents) {
	list := func(in []string) []string {
		if in == nil {
			return nil
		}
		out := make([]string, 0, len(in))
		seen := map[string]bool{}
		for _, u := range in {
			d := un.name(u)
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
		return out
	}
	recs := make([]Record, len(c.Records))
	for i, r := range c.Records {
		r.LeadUnits, r.CoUnits, r.Implementers = list(r.LeadUnits), list(r.CoUnits), list(r.Implementers)
		recs[i] = r
	}
	c.Records = recs
	leaders := make([]Leader, len(c.Leaders))
	for i, l := range c.Leaders {
		l.Oversees = list(l.Oversees)
		l.Liaises = list(l.Liaises)
		if l.Assists != nil {
			as := make([]string, len(l.Assists))
			for j, a := range l.Assists {
				if u, ok := strings.CutPrefix(a, "分管"); ok {
					a = "分管" + un.name(u)
				}
				as[j] = a
			}
			l.Assists = as
		}
		leaders[i] = l
	}
	c.Leaders = leaders
	duties := make([]Duty, len(c.Duties))
	for i, d := range c.Duties {
		d.Unit = un.name(d.Unit)
		duties[i] = d
	}
	c.Duties = duties
}

// Unit returns the name the knowledge base shows for a unit written any
// way its documents or the curated table know (县住房和城乡建设局, 住建局,
// 住房城乡建设局), or s cleaned when no document names it.
func (b *Base) Unit(s string) string {
	if b.unitNames == nil {
		return names.Unit(s)
	}
	c := names.Clean(s)
	if d, ok := b.unitNames.display[c]; ok {
		return d
	}
	// 市住房和城乡建设局 asked where the documents keep 市住建局 apart.
	if d, ok := b.unitNames.display[names.PlacedUnit(c)]; ok && b.unitNames.placed[d] {
		return d
	}
	if d, ok := b.unitNames.display[names.Written(c)]; ok {
		return d
	}
	if d, ok := b.unitNames.display[names.Unit(c)]; ok {
		return d
	}
	return names.Unit(c)
}

// UnitAliases returns every spelling of unit u seen in the documents plus
// the curated table's, display name first, sorted after it.
func (b *Base) UnitAliases(u string) []string {
	d := b.Unit(u)
	seen := map[string]bool{d: true}
	out := []string{d}
	var more []string
	curated := names.Aliases(d)
	if b.unitNames.placed[d] {
		// 市住建局's spellings are the place's: 市住房和城乡建设局, never
		// the own place's 住建局.
		place, unit := names.SplitPlace(d)
		curated = nil
		for _, a := range names.Aliases(unit) {
			curated = append(curated, place+a)
		}
	}
	for _, a := range append(append([]string(nil), b.unitNames.aliases[d]...), curated...) {
		if !seen[a] {
			seen[a] = true
			more = append(more, a)
		}
	}
	sort.Strings(more)
	return append(out, more...)
}

// UnitPairs lists the short forms the documents showed to name a unit
// written elsewhere in full ("海晟集团 = 海晟控股集团"), for kb check.
func (b *Base) UnitPairs() []string {
	return appendNew(append([]string(nil), b.c.UnitPairs...), b.unitNames.pairs...)
}

// CanonicalUnits renames the units of c as New would show them: each unit
// under one name chosen across all of c (see the top of this file).
// ingest.Load applies it so its contents read as the knowledge base does.
func CanonicalUnits(c *Contents) {
	un := buildUnitNames(collectUnits(c), c.PlacedUnits)
	un.rename(c)
	// The display names of units whose place is kept are kept spellings
	// too (如皋市住建局 shown for 如皋市住房和城乡建设局), so New keys them
	// by place again.
	var shown []string
	for d := range un.placed {
		shown = append(shown, d)
	}
	sort.Strings(shown) // map order must not decide an output
	c.PlacedUnits = appendNew(c.PlacedUnits, shown...)
	c.UnitPairs = appendNew(c.UnitPairs, un.pairs...)
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		dup := false
		for _, have := range list {
			dup = dup || have == it
		}
		if !dup {
			list = append(list, it)
		}
	}
	return list
}
