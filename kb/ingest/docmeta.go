package ingest

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What a document says about itself: its plan year and its issuing body's
// place. Both come from the document (title, date line, issuing body, then
// what the text says most often), never from a constant.

var (
	reYearIn = regexp.MustCompile(`(20\d\d)年`)
	// reDateLine is a date line: under the issuers, or at the foot of a report.
	reDateLine = regexp.MustCompile(`^\s*(20\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$`)
	// reDateLineHan is one in Chinese numerals: 二〇二五年二月十八日.
	reDateLineHan = regexp.MustCompile(`^\s*([〇○零一二三四五六七八九]{4})\s*年\s*[一二三四五六七八九十]{1,2}\s*月\s*[一二三四五六七八九十]{1,3}\s*日\s*$`)
	// reYearHan is a year in Chinese numerals in a title: 二〇二五年.
	reYearHan = regexp.MustCompile(`([〇○零一二三四五六七八九]{4})年`)
	// rePlaceGov names an issuing body: 如东县人民政府, 中共海门市委, 崇川区政府.
	rePlaceGov = regexp.MustCompile(`^\s*(?:中共)?(\p{Han}{2,3}?)(省|市|县|区|旗)(?:人民政府|政府|委员会|委|党委|人大)`)
)

// docYear returns the document's plan year and where it came from: the
// title, a date line near the top or the foot, else the year the text
// names most often. 0 when the text names none.
func docYear(d *Document) (int, string) {
	if m := reYearIn.FindStringSubmatch(d.Title); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, "title"
	}
	if m := reYearHan.FindStringSubmatch(d.Title); m != nil {
		return hanYear(m[1]), "title"
	}
	for i, l := range d.Lines {
		if i >= 40 && i < len(d.Lines)-30 {
			continue
		}
		if m := reDateLine.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n, "date line"
		}
		if m := reDateLineHan.FindStringSubmatch(l); m != nil {
			return hanYear(m[1]), "date line"
		}
	}
	if y := mostFrequent(d.Lines, reYearIn); y != "" {
		n, _ := strconv.Atoi(y)
		return n, "most frequent year in the text"
	}
	return 0, ""
}

// docPlace returns the issuing body's place without its 省/市/县/区 suffix
// (如东 of 如东县).
func docPlace(d *Document) string {
	p, _ := docPlaceFull(d)
	return p
}

// docPlaceFull returns the issuing body's place and its suffix (如东, 县):
// from the title, the issuing body in the first lines, else the place the
// text names most often (at least three times).
func docPlaceFull(d *Document) (string, string) {
	if d.place == nil {
		p, s := readPlace(d)
		d.place = &[2]string{p, s}
	}
	return d.place[0], d.place[1]
}

func readPlace(d *Document) (string, string) {
	if m := rePlaceGov.FindStringSubmatch(d.Title); m != nil && isPlace(m[1]) {
		return m[1], m[2]
	}
	for i, l := range d.Lines {
		if i > 40 {
			break
		}
		for _, m := range rePlaceGov.FindAllStringSubmatch(l, -1) {
			if isPlace(m[1]) {
				return m[1], m[2]
			}
		}
	}
	suffix := map[string]string{}
	counts := map[string]int{}
	first := map[string]int{}
	bounded := map[string]int{} // mentions that stand as a word (wordStart, a government after)
	zone := map[string]bool{}   // 开发区管委会: a zone's committee follows
	n := 0
	for _, l := range d.Lines {
		placeMentions(l, func(i, j, k int) {
			name := l[i:j]
			if !isPlace(name) {
				return
			}
			if _, ok := first[name]; !ok {
				first[name] = n
				suffix[name] = l[j:k]
				n++
			}
			counts[name]++
			if wordStart(l, i) || governmentAfter(l[k:]) {
				bounded[name]++
			}
			if strings.HasPrefix(l[k:], "管委会") || strings.HasPrefix(l[k:], "管理委员会") {
				zone[name] = true
			}
		})
	}
	// Of the names before one character and level (晋城市, 进城市 of
	// 推进城市), only the one the text most often writes as a word of its
	// own reads the pair as a place.
	reader := map[string]string{}
	for p := range counts {
		pair := lastRune(p) + suffix[p]
		q, ok := reader[pair]
		if !ok || bounded[p] > bounded[q] || (bounded[p] == bounded[q] && first[p] < first[q]) {
			reader[pair] = p
		}
	}
	best := ""
	for p, c := range counts {
		if c < 3 || bounded[p] == 0 || zone[p] || reader[lastRune(p)+suffix[p]] != p {
			continue
		}
		if best == "" || c > counts[best] || (c == counts[best] && first[p] < first[best]) {
			best = p
		}
	}
	return best, suffix[best]
}

// What the text says of a name before a level decides whether it is a
// place, not its last character (晋城, 黄山, 连云港, 厦门 and 榆林 are
// places; 进城 of 推进城市 is none): a place is written as a word of its
// own (after a break, a function character or a higher level, or before
// its government), it is the name the text most often writes so before
// its last character and level, and no zone's committee (管委会) follows
// it (开发区管委会).

func lastRune(s string) string {
	_, n := utf8.DecodeLastRuneInString(s)
	return s[len(s)-n:]
}

// wordStart reports whether a word can start at s[i:]: at the start of the
// line, after a rune that is not Han, a function character (在, 对) or a
// level (江苏省南通市).
func wordStart(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return i == 0 || !isHan(r) || strings.ContainsRune(notInPlace, r) || isLevel(r) || r == '省'
}

// governmentAfter reports whether rest opens with a place's government
// (晋城市人民政府, 晋城市委).
func governmentAfter(rest string) bool {
	for _, w := range []string{"人民政府", "政府", "委", "人大", "党委"} {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}

// placeMentions calls f for each place-like mention in s (南通市, 如东县,
// 崇川区), the name s[i:j] and the level s[j:k]: two Han characters and a level, left to right and not
// overlapping, as the regexp (\p{Han}{2})(市|县|区|旗) finds them. One pass
// over the runes: it runs over every line of every document, where the
// regexp took a third of reading the seeds.
func placeMentions(s string, f func(i, j, k int)) {
	var at [2]int   // byte offsets of the two runes before this one
	var han [2]bool // whether they are Han
	avail := 0      // runes since the last mention: it does not overlap the next
	for i, r := range s {
		if avail >= 2 && han[0] && han[1] && isLevel(r) {
			f(at[0], i, i+utf8.RuneLen(r))
			avail = 0
			continue
		}
		at[0], han[0] = at[1], han[1]
		at[1], han[1] = i, isHan(r)
		avail++
	}
}

// isHan is unicode.Is(unicode.Han, r), the common block first.
func isHan(r rune) bool {
	return (r >= 0x4e00 && r <= 0x9fff) || (r >= 0x2e80 && unicode.Is(unicode.Han, r))
}

func isLevel(r rune) bool { return r == '市' || r == '县' || r == '区' || r == '旗' }

// notInPlace are function characters no place name contains (举办了市委…).
const notInPlace = "了的和在与及对为是于等把向由从将被按其并或又也都所而个年月日"

// isPlace reports whether p can name a place by its form alone: two
// characters or more, no function character, not opened by 全/本/各/该
// (全市, 本县), not ending in a level (山区县, 省市县: levels in a row).
// Whether it is one the document says (readPlace).
func isPlace(p string) bool {
	r := []rune(p)
	if len(r) < 2 || strings.ContainsAny(p, notInPlace) {
		return false
	}
	return !strings.ContainsRune("省市县区旗级", r[len(r)-1]) && !strings.ContainsRune("全本各该", r[0])
}

// mostFrequent returns the first submatch re finds most often in lines,
// ties going to the one found first (deterministic, no map order).
func mostFrequent(lines []string, re *regexp.Regexp) string {
	counts := map[string]int{}
	var order []string
	for _, l := range lines {
		for _, m := range re.FindAllStringSubmatch(l, -1) {
			if counts[m[1]] == 0 {
				order = append(order, m[1])
			}
			counts[m[1]]++
		}
	}
	best := ""
	for _, s := range order {
		if counts[s] > counts[best] {
			best = s
		}
	}
	return best
}

// hanYear reads a year written digit by digit in Chinese: 二〇二五 → 2025.
func hanYear(s string) int {
	n := 0
	for _, r := range s {
		d := 0
		if r != '〇' && r != '○' && r != '零' {
			d = strings.IndexRune("一二三四五六七八九", r)/3 + 1
		}
		n = 10*n + d
	}
	return n
}
