package handlers

import (
	"strings"
	"time"
	"unicode/utf8"

	"duban/kb/textnorm"
)

// A Frame is a question understood: what it names, what it asks, and what
// is left as its topic. Intents score and answer frames, never raw text.
type Frame struct {
	Text    string `json:"text"` // the question folded (textnorm.Fold), @-mentions removed
	English bool   `json:"english,omitempty"`
	// Refs are the task numbers named, each with the table its own words
	// name (实事第12项), "" when none.
	Refs     []Ref    `json:"refs,omitempty"`
	Tables   []string `json:"tables,omitempty"` // table kinds or plan parts the question names
	Units    []string `json:"units,omitempty"`
	Persons  []string `json:"persons,omitempty"`
	Towns    []string `json:"towns,omitempty"`
	Sections []string `json:"sections,omitempty"` // 第二部分, or a section's name
	Ordinals []string `json:"ordinals,omitempty"` // 第二阶段, 第七次: content, kept for the topic
	Fields   []string `json:"fields,omitempty"`
	Roles    []string `json:"roles,omitempty"`
	Status   []string `json:"status,omitempty"`
	Window   *Window  `json:"window,omitempty"`
	Count    bool     `json:"count,omitempty"`
	Figure   bool     `json:"figure,omitempty"` // 多少: asks a figure (a target, a progress number)
	List     bool     `json:"list,omitempty"`
	Joint    bool     `json:"joint,omitempty"` // A和B共同
	Attr     string   `json:"attr,omitempty"`  // 约束性, 预期性
	Plan     int      `json:"plan,omitempty"`  // 14 for 十四五
	Years    []int    `json:"years,omitempty"`
	Help     bool     `json:"help,omitempty"`
	More     bool     `json:"more,omitempty"`
	// Topic is the content no question word claims, in spans.
	Topic []string `json:"topic,omitempty"`
	// Unknown are names shaped like a unit (…局, …委) that no document has.
	Unknown []string `json:"unknown,omitempty"`
	// Corrected are names read through a typing slip: "交通居→交通局".
	Corrected []string `json:"corrected,omitempty"`

	fields  field
	tags    []tag
	phrases map[string]string // a topic span → it with the generic noun after it
}

// A Ref is one task reference.
type Ref struct {
	No    int    `json:"no"`
	Scope string `json:"scope,omitempty"` // the table kind named just before it
}

// A Window is a time range a question asks about: [From, To).
type Window struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Label string    `json:"label"`
	// Open says the window has no start (到期 by To, overdue included).
	Open bool `json:"open,omitempty"`
}

var fieldBits = map[string]field{"which_unit": fWhichUnit, "role": fRole, "leader": fLeader, "unit": fUnit, "co": fCo, "deadline": fDeadline, "progress": fProgress, "text": fText, "duty": fDuty, "target": fTarget, "who": fWho}

// frame builds the Frame of a folded question.
func (h *Handler) frame(text string, now time.Time) *Frame {
	f := &Frame{Text: text, English: isEnglish(text)}
	f.tags = h.g.tagText(text)
	lastScope := ""
	has := map[string]bool{}
	addTo := func(xs *[]string, v string) {
		for _, x := range *xs {
			if x == v {
				return
			}
		}
		*xs = append(*xs, v)
	}
	f.resolveStems()
	for i, t := range f.tags {
		switch t.kind {
		case tagField:
			for _, v := range strings.Split(t.value, ",") {
				addTo(&f.Fields, v)
				f.fields |= fieldBits[v]
			}
		case tagRole:
			addTo(&f.Roles, t.value)
		case tagStatus:
			addTo(&f.Status, t.value)
		case tagCount:
			f.Count = true
		case tagQWord:
			if t.value == "figure" {
				f.Figure = true
			}
		case tagList:
			f.List = true
		case tagJoint:
			f.Joint = true
		case tagAttr:
			f.Attr = t.value
		case tagHelp:
			f.Help = true
		case tagMore:
			f.More = true
		case tagScope:
			addTo(&f.Tables, t.value)
			lastScope = t.value
		case tagUnit:
			addTo(&f.Units, t.value)
		case tagTown:
			addTo(&f.Towns, t.value)
			addTo(&f.Units, t.value)
		case tagPerson:
			addTo(&f.Persons, t.value)
		case tagSyn, tagEn:
			addTo(&f.Topic, t.value)
		case tagNumber:
			n := t.num
			switch n.Kind {
			case textnorm.Ref:
				scope := h.g.scopeIn(text[t.start:t.end])
				if scope == "" && i > 0 && f.tags[i-1].kind == tagScope {
					scope = lastScope
				}
				f.Refs = append(f.Refs, Ref{No: n.Value, Scope: scope})
			case textnorm.Plan:
				f.Plan = n.Value
			case textnorm.Year:
				f.Years = append(f.Years, n.Value)
			case textnorm.Ordinal:
				if n.Word == "部分" || n.Word == "方面" || n.Word == "大类" || n.Word == "类" {
					addTo(&f.Sections, t.value)
				} else {
					addTo(&f.Ordinals, t.value)
					addTo(&f.Topic, t.value)
				}
			case textnorm.Quantity:
				if n.Word != "天" && n.Word != "周" && n.Word != "个" && n.Word != "季度" && n.Word != "月" {
					addTo(&f.Topic, t.value)
				}
			case textnorm.Item:
				addTo(&f.Topic, t.value)
			}
		case tagNone:
			v := strings.TrimSpace(text[t.start:t.end])
			if v != "" {
				addTo(&f.Topic, v)
				// the topic with a generic noun after it (…钢项目) is the
				// phrase a record may hold verbatim
				if i+1 < len(f.tags) && f.tags[i+1].kind == tagGeneric && f.tags[i+1].start == t.end {
					if f.phrases == nil {
						f.phrases = map[string]string{}
					}
					f.phrases[v] = v + text[f.tags[i+1].start:f.tags[i+1].end]
				}
			}
		}
		has[t.kind.String()] = true
	}
	// 帮助 or 更多 inside a question about something else is content
	// (下乡功能谁牵头 is not a help request)
	if (f.Help || f.More) && (len(f.Topic) > 0 || len(f.Refs) > 0 || len(f.Units) > 0 || len(f.Persons) > 0 || len(f.Fields) > 0) {
		for _, t := range f.tags {
			if t.kind == tagHelp || t.kind == tagMore {
				addTo(&f.Topic, text[t.start:t.end])
			}
		}
		f.Help, f.More = false, false
	}
	// A question that is only a numeral ("七十六") names a task.
	if len(f.Refs) == 0 && len(f.tags) == 1 {
		if v, ok := textnorm.Whole(text); ok {
			f.Refs = []Ref{{No: v}}
		}
	}
	// 哪些单位 asks for the co-units in a question about co-operation
	// (需要哪些单位配合), else for the lead unit.
	if f.fields&fWhichUnit != 0 {
		if f.hasRole("co", "assist") {
			f.fields |= fCo
		} else {
			f.fields |= fUnit
		}
	}
	// 分管领导 of a numbered task is its leader
	if len(f.Refs) > 0 && f.hasRole("oversee") && f.fields&^(fWho|fWhichUnit) == 0 {
		f.fields |= fLeader
	}
	// 谁 asks for the people and office of the role it is asked with:
	// 配合单位是谁 the co-units, 谁牵头 the leader and the lead unit, 谁牵头
	// 协同单位呢 both.
	if f.fields&fWho != 0 {
		co := f.hasRole("co", "assist") || f.fields&fCo != 0
		if co {
			f.fields |= fCo
		}
		if !co || f.hasRole("lead") {
			f.fields |= fLeader | fUnit
		}
	}
	// 哪个部门负责 asks the office and, as officials mean it, its leader
	if f.fields&fWhichUnit != 0 && f.hasRole("lead") && !f.hasRole("co", "assist") {
		f.fields |= fLeader
	}
	f.Unknown = h.unknownUnits(f)
	f.Sections = append(f.Sections, h.sectionTopics(f)...)
	return f
}

// resolveStems keeps a unit's short form (人社) as that unit where the
// question uses it as one, next to a role, list or duty word (人社牵头了
// 几项, 谁分管医保, 公安在…里负责什么); elsewhere it is content (公安、交通
// 数据共享).
func (f *Frame) resolveStems() {
	for i := range f.tags {
		t := &f.tags[i]
		if t.kind != tagUnit || t.conf != 0.7 && t.conf != 0.6 {
			continue
		}
		if t.conf == 0.6 && !f.opens(i) {
			t.kind = tagNone
			t.value = f.Text[t.start:t.end]
			continue
		}
		next, prev := tagNone, tagNone
		if i+1 < len(f.tags) && f.tags[i+1].start == t.end {
			next = f.tags[i+1].kind
		}
		if i > 0 && f.tags[i-1].end == t.start {
			prev = f.tags[i-1].kind
		}
		rest := f.Text[t.end:]
		if prev == tagNone && i > 0 && f.tags[i-1].end == t.start && !locativeBefore(f.Text[:t.start]) {
			// content runs into it (人安委): part of another name
		} else if next == tagRole || next == tagList || next == tagCount || next == tagField || prev == tagRole ||
			strings.HasPrefix(rest, "作为") || strings.HasPrefix(rest, "在") || strings.HasPrefix(rest, "归") ||
			strings.HasPrefix(rest, "的") && hasAnyPrefix(strings.TrimPrefix(rest, "的"), []string{"职责", "分管", "任务", "工作", "牵头", "重点", "实事", "协同", "配合"}) {
			continue
		}
		t.kind = tagNone
		t.value = f.Text[t.start:t.end]
	}
}

// opens reports whether tag i comes before any content of the question,
// but for a locative after a reference (第56项中科技): a word that is also
// a unit's stem (科技, 文明) is the unit only as the subject of the question.
func (f *Frame) opens(i int) bool {
	for _, p := range f.tags[:i] {
		if p.kind == tagNone && !(utf8.RuneCountInString(f.Text[p.start:p.end]) == 1 && locativeBefore(f.Text[p.start:p.end])) {
			return false
		}
		if p.kind == tagUnit || p.kind == tagPerson || p.kind == tagTown {
			return false
		}
	}
	return true
}

// locativeBefore reports whether s ends in a word that may stand right
// before a unit's name inside content (会议中公安的职责).
func locativeBefore(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune("中里在对和与及的、", r)
}

// hasRole reports whether the question names role r.
func (f *Frame) hasRole(rs ...string) bool { return anyIn(f.Roles, rs) }

// hasStatus reports whether the question names one of the statuses.
func (f *Frame) hasStatus(ss ...string) bool { return anyIn(f.Status, ss) }

// hasTable reports whether the question names one of the table kinds.
func (f *Frame) hasTable(ts ...string) bool { return anyIn(f.Tables, ts) }

// has reports whether a tag of kind k is in the question.
func (f *Frame) has(k tagKind) bool {
	for _, t := range f.tags {
		if t.kind == k {
			return true
		}
	}
	return false
}

// hasValue reports whether a tag of kind k with value v is in the question.
func (f *Frame) hasValue(k tagKind, v string) bool {
	for _, t := range f.tags {
		if t.kind == k && t.value == v {
			return true
		}
	}
	return false
}

// core is the topic as one string for the full-text index, each span with
// the generic noun that followed it (中天钢铁项目): the noun is part of a
// name as often as not, and the index weighs a common word low.
func (f *Frame) core() string {
	var b strings.Builder
	for i, t := range f.Topic {
		if i > 0 {
			b.WriteByte(' ')
		}
		if p, ok := f.phrases[t]; ok {
			t = p
		}
		b.WriteString(t)
	}
	return b.String()
}

// bare reports whether the question names nothing but question words: no
// entity, number or topic.
func (f *Frame) bare() bool {
	return len(f.Refs) == 0 && len(f.Units) == 0 && len(f.Persons) == 0 && len(f.Topic) == 0
}

func anyIn(xs, want []string) bool {
	for _, x := range xs {
		for _, w := range want {
			if x == w {
				return true
			}
		}
	}
	return false
}
