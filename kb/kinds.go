package kb

// A Leader is one government leader's division of labour (002 领导同志工作分工).
type Leader struct {
	Name     string   `json:"name"`
	Post     string   `json:"post"`              // 区委副书记，区政府区长
	Areas    []string `json:"areas"`             // 负责 …
	Oversees []string `json:"oversees"`          // 分管 departments (canonical unit names)
	Liaises  []string `json:"liaises"`           // 联系 towns
	Assists  []string `json:"assists,omitempty"` // 协助 roles
	Text     string   `json:"text"`              // the whole paragraph
	Source   Source   `json:"source"`
}

// A Member is a person on a joint meeting or a leading group (联席会议成员).
type Member struct {
	Body   string `json:"body"` // 企业上市和新三板挂牌联席会议
	Role   string `json:"role"` // 召集人, 成员
	Name   string `json:"name"`
	Post   string `json:"post"`
	Source Source `json:"source"`
}

// A Duty is what one unit must do under a notice: a 任务分工 section or a
// member unit's duty in a joint meeting, or a （责任单位：…） clause.
type Duty struct {
	Unit   string `json:"unit"`
	Role   string `json:"role,omitempty"` // 牵头, 责任单位, 成员单位
	Text   string `json:"text"`
	Topic  string `json:"topic"` // the notice or section it belongs to
	Source Source `json:"source"`
}

// An Indicator is a row of a plan's indicator table (003 表1, 表2).
type Indicator struct {
	Table     string `json:"table"`    // 表1 …
	Category  string `json:"category"` // 类别
	No        int    `json:"no"`
	Name      string `json:"name"`
	Unit      string `json:"unit"`
	Base      string `json:"base,omitempty"` // 基期 value where the table has one
	Target    string `json:"target"`
	Attribute string `json:"attribute"` // 预期性, 约束性
	Source    Source `json:"source"`
}

// A Quota is one town's number in a per-town quota table (002).
type Quota struct {
	Topic  string `json:"topic"` // what the table allocates
	Town   string `json:"town"`
	Item   string `json:"item"` // column title
	Value  string `json:"value"`
	Source Source `json:"source"`
}

// A Phase is a dated stage of a campaign (002: 动员部署阶段（2022年1月—2月）).
type Phase struct {
	Topic  string `json:"topic"`
	Name   string `json:"name"`
	From   string `json:"from"` // as written
	To     string `json:"to"`
	Text   string `json:"text"`
	Source Source `json:"source"`
}

// A Box is a 专栏 of a plan (003): a titled list of projects or targets.
type Box struct {
	No     int      `json:"no"`
	Title  string   `json:"title"`
	Items  []string `json:"items"`
	Source Source   `json:"source"`
}

// An Appointment is one decision of a 任免 notice: a person appointed to
// (任) or removed from (免) a post.
type Appointment struct {
	Name   string `json:"name"`
	Action string `json:"action"` // 任 or 免
	Post   string `json:"post"`   // as written: 海门区海门街道办事处主任
	Note   string `json:"note,omitempty"`
	Notice string `json:"notice"`
	Source Source `json:"source"`
}

// A Passage is one paragraph of any document, for full-text search.
type Passage struct {
	Doc     string `json:"doc"`
	Title   string `json:"title"`   // document title
	Heading string `json:"heading"` // nearest heading above
	Text    string `json:"text"`
	Source  Source `json:"source"`
}

// A Warning is something `kb check` reports: a row the extractor is unsure of.
type Warning struct {
	Source Source `json:"source"`
	Msg    string `json:"msg"`
}

func (w Warning) String() string {
	s := w.Source.File
	if w.Source.Line > 0 {
		s += ":" + itoa(w.Source.Line)
	}
	if w.Source.Row > 0 {
		s += ": row " + itoa(w.Source.Row)
	}
	return s + ": " + w.Msg
}
