package textnorm

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// A Kind says what a number in a question is.
type Kind int

// The kinds of numbers.
const (
	Content  Kind = iota // part of the topic: 一共, 三星镇, a decimal, a code
	Ref                  // a task reference: 第76项, 76号, 任务76, #76, task 76
	Ordinal              // 第N + a noun that is not a task: 第六部分, 第二阶段, 第七次, 第三季度
	Quantity             // N + a measure word: 85条, 65周岁, 3个, 12项 after 共
	Year                 // 2019年, a bare 2020
	Date                 // 8月, 12月底, 3号 after a month, 15日
	Plan                 // 十四五, 十三五
	Item                 // a parenthesised list item: (一), (3)
)

var kindNames = [...]string{"content", "ref", "ordinal", "quantity", "year", "date", "plan", "item"}

func (k Kind) String() string { return kindNames[k] }

// A Number is one number found in a question.
type Number struct {
	Value int
	Kind  Kind
	// Start and End are byte offsets in the (folded) text, covering the
	// prefix (第, 任务, #) and the word after it (项, 部分, 条).
	Start, End int
	// Word is what follows the number (项, 部分, 周岁, 年), "" for none.
	Word string
}

// prefixes that make the number after them a task reference.
var refPrefixes = []string{"第", "任务", "tasks", "task", "projects", "project", "items", "item", "no.", "no", "#", "编号", "序号"}

// refWords after a number make it a task reference.
var refWords = []string{"号", "项", "件", "条"}

// ordinalWords after 第N name a part of a document or a period, not a task.
var ordinalWords = []string{
	"部分", "阶段", "次", "季度", "季", "章", "节", "批", "篇", "方面", "大类", "类", "轮", "期", "届",
	"个", "名", "位", "年", "月", "天", "周", "步", "点", "段", "款", "层", "级", "组", "片", "行", "列", "页",
	"大", "产业", "梯队", "档",
}

// measureWords after a number make it a quantity or a date. Longest first
// within a shared prefix does not matter: each is checked as a prefix.
var measureWords = []string{
	"周岁", "岁", "人次", "人", "家", "元", "万", "亿", "千", "百分点", "%", "公里", "千米", "米", "平方", "亩", "公顷",
	"吨", "所", "座", "处", "辆", "张", "台", "户", "套", "间", "栋", "幢", "倍", "度", "条", "个", "名", "位",
	"小时", "分钟", "天", "日", "周", "星期", "月", "年", "季度", "季", "期", "届", "次", "批", "轮", "类", "种",
	"项", "件", "号", "km", "m", "g", "kg", "t", "mw", "kw", "w", "x",
	"部分", "阶段", "方面", "大类", "章", "节", "篇", "段", "层", "级", "组", "片", "床", "张", "只", "头", "株",
	"本", "份", "册", "场", "支", "部", "门", "块", "根", "双", "对", "成", "折", "分", "秒", "点",
}

// countBefore are words that, right before N项/件/条/号, make it a count
// (共12项, 有3件, 这一项) rather than a reference.
var countBefore = []string{"一共", "总共", "共计", "共", "有", "这", "那", "哪", "每", "某", "同", "任", "唯", "其", "另", "逐", "单", "近", "约", "超过", "达到", "达", "新增", "累计", "完成", "新建", "建成", "改造", "实施", "开展", "办", "前", "后", "头", "余", "多", "几", "个别"}

// Numbers returns every number in s (which should be Folded), in order,
// each classified. It is linear in len(s).
func Numbers(s string) []Number {
	var out []Number
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			out = append(out, classify(s, i, j, true))
			i = j
		case isCNDigit(r):
			j := i
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if !isCNDigit(r2) {
					break
				}
				j += sz
			}
			if n, ok := classifyCN(s, i, j); ok {
				out = append(out, n)
			}
			i = j
		default:
			i += size
		}
	}
	return out
}

// TaskRefs returns the task numbers s names, in order, without repeats.
func TaskRefs(s string) []int {
	var out []int
	seen := map[int]bool{}
	for _, n := range Numbers(s) {
		if n.Kind == Ref && !seen[n.Value] {
			seen[n.Value] = true
			out = append(out, n.Value)
		}
	}
	return out
}

func isCNDigit(r rune) bool {
	return strings.ContainsRune("零〇一二两三四五六七八九十百千", r)
}

// classify reads the Arabic number s[i:j] in its context.
func classify(s string, i, j int, arabic bool) Number {
	v, _ := strconv.Atoi(s[i:j])
	if j-i > 5 {
		v = -1
	}
	n := Number{Value: v, Start: i, End: j}
	before := strings.TrimRight(s[:i], " ")
	after := strings.TrimLeft(s[j:], " ")
	// a decimal, a code (5g, g15) or a longer figure (1,000) is content
	if (i > 0 && (s[i-1] == '.' && i > 1 && isDigit(s[i-2]) || s[i-1] == ',' && i > 1 && isDigit(s[i-2]) || isLetter(s[i-1]))) ||
		(j < len(s) && (s[j] == '.' && j+1 < len(s) && isDigit(s[j+1]) || isLetter(s[j]) && !hasWordPrefix(after) || s[j] == ',' && j+1 < len(s) && isDigit(s[j+1]))) {
		n.Kind = Content
		return n
	}
	// a figure in a formula or a range (3+3, 1-3, 2+12) is content
	if i > 0 && strings.ContainsRune("+*/×~", rune(s[i-1])) || j < len(s) && strings.ContainsRune("+*/×~", rune(s[j])) ||
		i > 1 && s[i-1] == '-' && isDigit(s[i-2]) || j+1 < len(s) && s[j] == '-' && isDigit(s[j+1]) {
		n.Kind = Content
		return n
	}
	if before != "" && (before[len(before)-1] == '(' || strings.HasSuffix(before, "（")) && (strings.HasPrefix(after, ")") || strings.HasPrefix(after, "）")) {
		n.Kind, n.Start, n.End = Item, i-1, j+1
		return n
	}
	if monthBefore(before) {
		n.Kind = Date // "june 30"
		return n
	}
	prefix := refPrefix(before)
	if prefix != "" {
		n.Start = i - len(prefix) - (len(s[:i]) - len(before))
	}
	word := wordAfter(after, refWords, ordinalWords, measureWords)
	if word != "" {
		n.Word = word
		n.End = len(s) - len(after) + len(word)
	}
	switch {
	case prefix == "第":
		// 第10个 counts items like 第10项 (十三五指标第10个)
		if isRefWord(word) || word == "个" || word == "" && !nounAfter(after) {
			n.Kind = Ref
		} else {
			n.Kind = Ordinal
		}
	case prefix != "":
		n.Kind = Ref
		if word != "" && !isRefWord(word) {
			n.Kind = Quantity
		}
	case word == "年" || (word == "" && v >= 1900 && v <= 2100):
		n.Kind = Year
	case word == "月" || word == "日" || (word == "号" && afterMonth(before)):
		n.Kind = Date
	case word == "条":
		n.Kind = Quantity
	case isRefWord(word):
		n.Kind = Ref
		if hasSuffixAny(before, countBefore) || word != "号" && afterContent(before) {
			n.Kind = Quantity // 突破35件: a figure inside the text
		}
	case word != "":
		n.Kind = Quantity
	case hasSuffixAny(before, countBefore):
		n.Kind = Quantity // 达到95, 新增3
	default:
		n.Kind = Ref // a bare number: 76谁牵头, tasks 3 and 5
	}
	if n.Kind == Ref && v <= 0 {
		n.Kind = Content
	}
	return n
}

// classifyCN reads the Chinese numeral s[i:j] in its context. Only a
// numeral with a reference word around it is a number at all: 一共, 三星镇,
// 统一 are words.
func classifyCN(s string, i, j int) (Number, bool) {
	text := s[i:j]
	before := strings.TrimRight(s[:i], " ")
	after := strings.TrimLeft(s[j:], " ")
	// 十四五, 十三五: a plan's name, and 14五 read the same way
	if strings.HasSuffix(text, "五") && strings.HasPrefix(text, "十") && utf8.RuneCountInString(text) == 3 {
		v, _ := parseCN(strings.TrimSuffix(text, "五"))
		return Number{Value: v, Kind: Plan, Start: i, End: j}, true
	}
	v, ok := parseCN(text)
	if !ok {
		return Number{}, false
	}
	n := Number{Value: v, Start: i, End: j}
	if (strings.HasSuffix(before, "(") || strings.HasSuffix(before, "（")) && (strings.HasPrefix(after, ")") || strings.HasPrefix(after, "）")) {
		n.Kind, n.Start, n.End = Item, i-1, j+1
		return n, true
	}
	prefix := refPrefix(before)
	word := wordAfter(after, refWords, ordinalWords, measureWords)
	if prefix != "" {
		n.Start = i - len(prefix) - (len(s[:i]) - len(before))
	}
	if word != "" {
		n.Word = word
		n.End = len(s) - len(after) + len(word)
	}
	// 全省第一, 断面第一: a small Chinese ordinal after content is a rank
	rank := prefix == "第" && word == "" && v < 10 && afterContent(strings.TrimSuffix(strings.TrimRight(s[:i], " "), "第"))
	switch {
	case prefix == "第":
		if isRefWord(word) || word == "个" || word == "" && !nounAfter(after) && !rank {
			n.Kind = Ref
		} else {
			n.Kind = Ordinal
		}
	case prefix != "" && prefix != "no" && prefix != "#":
		n.Kind = Ref
		if word != "" && !isRefWord(word) {
			n.Kind = Quantity
		}
	case word == "条":
		n.Kind = Quantity
	case isRefWord(word) && word != "条":
		n.Kind = Ref
		// 这一项, 有两件, 一项工作: a count or a determiner, not a number
		if hasSuffixAny(before, countBefore) || (text == "一" && !strings.HasPrefix(after, "号")) {
			n.Kind = Quantity
		}
	case word == "月" || word == "日":
		n.Kind = Date
	case word != "":
		n.Kind = Quantity
	default:
		return Number{}, false // a word that holds a numeral character
	}
	if n.Kind == Ref && v <= 0 {
		n.Kind = Content
	}
	return n, true
}

// Whole reports the value of s when s, trimmed of punctuation, is nothing
// but a numeral ("七十六", "76"): a question that is only a number names a task.
func Whole(s string) (int, bool) {
	t := strings.Trim(s, " ?？!！。.,，")
	if t == "" {
		return 0, false
	}
	if v, err := strconv.Atoi(t); err == nil && v > 0 {
		return v, true
	}
	v, ok := parseCN(t)
	return v, ok && v > 0
}

// refFollowers are the characters that may follow a bare 第N reference
// (第76的牵头单位, 第76谁牵头): question words, not a noun. 第一中学 and
// 第二人民医院 are names, whose ordinal is content.
const refFollowers = "的是和与及、谁什呢吗啥要由哪有在任工牵完进配协到截怎如几"

// nounAfter reports whether after starts with a Han character that is not
// a question word: the number is an ordinal inside a name.
func nounAfter(after string) bool {
	r, _ := utf8.DecodeRuneInString(after)
	return r >= 0x4e00 && r <= 0x9fff && !strings.ContainsRune(refFollowers, r)
}

var enMonths = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}

// monthBefore reports whether before ends with an English month name.
func monthBefore(before string) bool {
	for _, m := range enMonths {
		if strings.HasSuffix(before, m) && (len(before) == len(m) || !isLetter(before[len(before)-len(m)-1])) {
			return true
		}
	}
	return false
}

// tableTails end the words that name a table (实事, 重点工作, 重点任务,
// 措施, 项目): a number after them is a reference (实事12项).
const tableTails = "事作务施目"

// afterContent reports whether before ends in a content word, not a table
// name: then N项 or N件 is a quantity of that content.
func afterContent(before string) bool {
	r, _ := utf8.DecodeLastRuneInString(before)
	return r >= 0x4e00 && r <= 0x9fff && !strings.ContainsRune(tableTails, r)
}

func refPrefix(before string) string {
	for _, p := range refPrefixes {
		if strings.HasSuffix(before, p) {
			// "no" and "item" must stand as words: "piano 3" is not one
			if isASCIIWord(p) && len(before) > len(p) && isLetter(before[len(before)-len(p)-1]) {
				continue
			}
			return p
		}
	}
	return ""
}

// wordAfter returns the longest listed word that after starts with.
func wordAfter(after string, lists ...[]string) string {
	best := ""
	for _, l := range lists {
		for _, w := range l {
			if len(w) > len(best) && strings.HasPrefix(after, w) {
				if isASCIIWord(w) && len(after) > len(w) && isLetter(after[len(w)]) {
					continue // "5g" is a unit, "5 gold" is not
				}
				best = w
			}
		}
	}
	return best
}

func isRefWord(w string) bool {
	for _, x := range refWords {
		if w == x {
			return true
		}
	}
	return false
}

// afterMonth reports whether before ends with a month: 8月3号 is a date.
func afterMonth(before string) bool { return strings.HasSuffix(before, "月") }

func hasSuffixAny(s string, xs []string) bool {
	for _, x := range xs {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// hasWordPrefix reports whether after starts with an ASCII measure word.
func hasWordPrefix(after string) bool { return wordAfter(after, measureWords) != "" }

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) {
			return false
		}
	}
	return true
}
