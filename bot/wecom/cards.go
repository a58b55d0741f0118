package wecom

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"duban/bot"
	"duban/handlers"
)

// A reminder on a card route is ONE template_card per digest message, not
// one card per task: issue 17 allows a unit's chat one or two reminder
// messages a day, and a digest holds tens of tasks. The card is a
// button_interaction card (path/101032 for the 智能机器人, path/90236 for
// apps): the most urgent tasks as horizontal_content_list lines (at most
// 6), a button_selection task picker (at most 10 options) preselected on
// the most urgent task, and the three buttons 已完成 / 申请延期 / 查看详情.
// Tasks beyond the picker are one question away (the card says so). A tap
// acts on the task chosen in the picker, which the click event carries
// (SelectedItems in the app's XML; selected_items for the 智能机器人,
// UNVERIFIED). A card of one task needs no choice: the button's key names
// it. A card of several tapped without a choice is not guessed at: the
// tapper is asked to choose (ErrNoChoice), since recording 已完成 on the
// wrong task is worse than one more tap.
//
// Limits (path/101032; the official Node SDK's types say the same):
// button_list ≤ 6, keys ≤ 1024 bytes and unique in a card; option_list
// 1..10, option id ≤ 128 bytes, text "建议不超过 10 个字";
// horizontal_content_list ≤ 6, keyname ≤ 5 and value ≤ 26 characters
// suggested; main_title.title ≤ 26 and desc ≤ 30; sub_title_text ≤ 112;
// task_id unique per bot (per app), ≤ 128 bytes of [0-9A-Za-z_-@].
const (
	cardMaxFields   = 6
	cardMaxOptions  = 10
	cardMaxTaskID   = 128
	cardTitleRunes  = 26
	cardDescRunes   = 30
	cardSubRunes    = 112
	cardValueRunes  = 26
	cardOptionRunes = 10
	// CardQuestionKey is the question_key of the task picker.
	CardQuestionKey = "task"
)

// A TemplateCard is WeCom's template_card object, the subset duban sends.
type TemplateCard struct {
	CardType        string         `json:"card_type"` // "button_interaction" or "text_notice"
	MainTitle       *CardTitle     `json:"main_title,omitempty"`
	SubTitleText    string         `json:"sub_title_text,omitempty"`
	Fields          []CardField    `json:"horizontal_content_list,omitempty"`
	ButtonSelection *CardSelection `json:"button_selection,omitempty"`
	Buttons         []CardButton   `json:"button_list,omitempty"`
	// CardAction is required on a text_notice card (path/90236); type 0
	// means the card opens nothing.
	CardAction *CardJump `json:"card_action,omitempty"`
	TaskID     string    `json:"task_id,omitempty"`
}

// CardTitle is main_title.
type CardTitle struct {
	Title string `json:"title,omitempty"`
	Desc  string `json:"desc,omitempty"`
}

// CardField is one horizontal_content_list line.
type CardField struct {
	KeyName string `json:"keyname"`
	Value   string `json:"value,omitempty"`
}

// CardSelection is button_selection, the picker of a button_interaction card.
type CardSelection struct {
	QuestionKey string       `json:"question_key"`
	Title       string       `json:"title,omitempty"`
	SelectedID  string       `json:"selected_id,omitempty"`
	Options     []CardOption `json:"option_list"`
}

// CardOption is one option of a picker.
type CardOption struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// CardButton is one button: style 1 blue, 2 grey, 3 red, 4 green.
type CardButton struct {
	Text  string `json:"text"`
	Style int    `json:"style,omitempty"`
	Key   string `json:"key"`
}

// CardJump is card_action.
type CardJump struct {
	Type int `json:"type"`
}

// A CardTask is a task a card offers actions on, as its task_id lists it.
type CardTask struct {
	Table string
	No    int
}

// verbCode spells each card verb in one character in a task_id, so an
// update rebuilds the same buttons; buttonStyle is its colour (1 blue,
// 2 grey, 3 red, 4 green).
var (
	verbCode = map[string]byte{bot.VerbDone: 'd', bot.VerbExtend: 'e', bot.VerbDetail: 'i',
		bot.VerbApprove: 'a', bot.VerbReturn: 'r', bot.VerbApproveExt: 'x', bot.VerbRejectExt: 'y'}
	buttonStyle = map[string]int{bot.VerbDone: 4, bot.VerbExtend: 1, bot.VerbDetail: 2,
		bot.VerbApprove: 4, bot.VerbReturn: 3, bot.VerbApproveExt: 4, bot.VerbRejectExt: 3}
)

// DigestCard renders a reminder whose Tasks offer actions as one
// button_interaction card (see the comment at the top of this file). now
// seeds the card's task_id, which must be new for each card.
//
// The buttons are the first task's verbs (a unit's three, or a reviewer's
// 通过/退回 on a review request); tasks offering other verbs are left to
// the text, counted as not listed.
func DigestCard(r handlers.Reply, now time.Time) TemplateCard {
	var verbs []string
	var tasks []handlers.TaskAction
	for _, t := range r.Tasks {
		if verbs == nil {
			verbs = knownVerbs(t.Offered())
		}
		if slices.Equal(knownVerbs(t.Offered()), verbs) {
			tasks = append(tasks, t)
		}
	}
	id, listed := newTaskID(now, verbs, tasks)
	tasks = tasks[:listed]
	c := TemplateCard{CardType: "button_interaction", TaskID: id}
	c.MainTitle = &CardTitle{Title: clip(r.Head, cardTitleRunes)}
	if len(tasks) > 0 && tasks[0].Unit != "" {
		c.MainTitle.Desc = clip(tasks[0].Unit, cardDescRunes)
	}
	for i, t := range tasks {
		if i == cardMaxFields {
			break
		}
		c.Fields = append(c.Fields, CardField{KeyName: strconv.Itoa(t.No) + "号", Value: clip(taskLine(t), cardValueRunes)})
	}
	sub := "选择任务后点按钮登记"
	if rest := len(r.Tasks) - len(tasks); rest > 0 {
		sub = "另有" + strconv.Itoa(rest) + "项未列出，" + sub
	}
	if r.More != "" {
		sub = r.More + "；" + sub
	}
	c.SubTitleText = clip(sub, cardSubRunes)
	opts := make([]CardTask, len(tasks))
	titles := make([]string, len(tasks))
	for i, t := range tasks {
		opts[i], titles[i] = CardTask{string(t.Table), t.No}, t.Title
	}
	c.ButtonSelection, c.Buttons = picker(opts, titles, verbs)
	return c
}

// knownVerbs keeps the verbs a card can carry, at most 6 (WeCom's limit).
func knownVerbs(vs []string) []string {
	var out []string
	for _, v := range vs {
		if _, ok := verbCode[v]; ok && len(out) < 6 {
			out = append(out, v)
		}
	}
	return out
}

// taskLine is a task's card line: "河道整治 8月31日 🔴".
func taskLine(t handlers.TaskAction) string {
	parts := []string{t.Title}
	if t.Due != "" {
		parts = append(parts, t.Due)
	}
	if l := lightMark[t.Light]; l != "" {
		parts = append(parts, l)
	}
	return strings.Join(parts, " ")
}

var lightMark = map[string]string{"red": "🔴", "yellow": "🟡", "green": "🟢"}

// picker returns the task picker and the buttons of verbs for tasks, the
// first preselected; titles may be empty (a card rebuilt from its task_id).
func picker(tasks []CardTask, titles []string, verbs []string) (*CardSelection, []CardButton) {
	if len(tasks) == 0 || len(verbs) == 0 {
		return nil, nil
	}
	sel := &CardSelection{QuestionKey: CardQuestionKey, Title: "任务", SelectedID: optionID(tasks[0])}
	for i, t := range tasks {
		text := strconv.Itoa(t.No) + "号"
		if i < len(titles) && titles[i] != "" {
			text += " " + titles[i]
		}
		sel.Options = append(sel.Options, CardOption{ID: optionID(t), Text: clip(text, cardOptionRunes)})
	}
	buttons := make([]CardButton, len(verbs))
	for i, v := range verbs {
		buttons[i] = CardButton{Text: handlers.VerbLabel(v), Style: buttonStyle[v], Key: bot.CardKey(v, tasks[0].Table, tasks[0].No)}
	}
	return sel, buttons
}

func optionID(t CardTask) string { return t.Table + ":" + strconv.Itoa(t.No) }

// ViewCard is the card after a tap: the view's title and lines, and, while
// something is left to tap, the picker and buttons again over the tasks
// of the original card (read back from its task_id).
func ViewCard(taskID string, a bot.CardAction, v bot.CardView) TemplateCard {
	c := TemplateCard{CardType: "button_interaction", TaskID: taskID}
	c.MainTitle = &CardTitle{Title: clip(v.Title, cardTitleRunes), Desc: clip(v.Desc, cardDescRunes)}
	c.SubTitleText = clip(strings.Join(v.Lines, "；"), cardSubRunes)
	var left []CardTask
	for _, t := range ParseTaskID(taskID) {
		if v.Final && t.Table == a.Table && t.No == a.No {
			continue // nothing left to tap on it
		}
		left = append(left, t)
	}
	if len(left) == 0 && !v.Refused && v.Final {
		c.CardType, c.CardAction = "text_notice", &CardJump{}
		return c
	}
	if len(left) == 0 { // a refused tap keeps its own buttons
		left = []CardTask{{a.Table, a.No}}
	}
	// The tapped task stays selected, so a refused user can tap again.
	for i, t := range left {
		if t.Table == a.Table && t.No == a.No {
			left[0], left[i] = left[i], left[0]
		}
	}
	verbs := ParseTaskVerbs(taskID)
	if len(verbs) == 0 { // not a task_id of ours: the tapped verb's family
		verbs = handlers.UnitVerbs
		if a.Verb != "" && !slices.Contains(verbs, a.Verb) {
			verbs = []string{a.Verb}
		}
	}
	c.ButtonSelection, c.Buttons = picker(left, nil, verbs)
	return c
}

// ErrNoChoice is CardClick's error for a tap on a card offering several
// tasks that came without the picker's choice: acting on the button's
// preselected task could record the wrong one.
var ErrNoChoice = errors.New("wecom: card tap without the picker's choice")

// NoChoiceView is what a card shows the user whose tap was ErrNoChoice.
var NoChoiceView = bot.CardView{Title: "请先在卡片上选择任务再点按钮", Desc: "也可回复“76号已完成”这样的消息", Refused: true}

// CardClick reads a tap on the card whose task_id is taskID: the verb
// from the button's key, the task from the picker's choice when the event
// carries it (selected maps question keys to the chosen option ids), else
// from the key when the card offers that task alone. A card of several
// tasks tapped without a choice gives ErrNoChoice, with the key's verb
// and task filled in for the refusal's card.
func CardClick(eventKey, taskID string, selected map[string][]string) (verb, table string, no int, err error) {
	verb, table, no, err = bot.ParseCardKey(eventKey)
	if err != nil {
		return "", "", 0, err
	}
	if ids := selected[CardQuestionKey]; len(ids) > 0 {
		t, n, ok := strings.Cut(ids[0], ":")
		if k, err := strconv.Atoi(n); ok && err == nil && k > 0 && t != "" {
			return verb, t, k, nil
		}
	}
	if len(ParseTaskID(taskID)) > 1 {
		return verb, table, no, ErrNoChoice
	}
	return verb, table, no, nil
}

// newTaskID makes a task_id that is new for every card and lists the
// card's verbs and tasks, so that an update can rebuild the buttons and
// the picker without state: "vdei_<stamp>@key_tasks-76-77@people_projects-3".
// listed is how many of tasks (a prefix, at most cardMaxOptions) fit in
// 128 bytes.
func newTaskID(now time.Time, verbs []string, tasks []handlers.TaskAction) (id string, listed int) {
	b := make([]byte, 3)
	rand.Read(b)
	code := make([]byte, 0, len(verbs))
	for _, v := range verbs {
		code = append(code, verbCode[v])
	}
	id = "v" + string(code) + "_" + strconv.FormatInt(now.UnixMilli(), 36) + hex.EncodeToString(b)
	var cur string // the table of the last group
	for _, t := range tasks {
		if listed == cardMaxOptions || !validTable(string(t.Table)) || t.No <= 0 {
			break
		}
		add := "-" + strconv.Itoa(t.No)
		if string(t.Table) != cur {
			add = "@" + string(t.Table) + add
		}
		if len(id)+len(add) > cardMaxTaskID {
			break
		}
		id, cur = id+add, string(t.Table)
		listed++
	}
	return id, listed
}

// ParseTaskVerbs returns the verbs a task_id made by DigestCard lists;
// nil for any other id.
func ParseTaskVerbs(id string) []string {
	head, _, _ := strings.Cut(id, "@")
	code, _, ok := strings.Cut(strings.TrimPrefix(head, "v"), "_")
	if !ok || !strings.HasPrefix(head, "v") {
		return nil
	}
	var out []string
	for i := 0; i < len(code); i++ {
		for v, c := range verbCode {
			if c == code[i] {
				out = append(out, v)
			}
		}
	}
	return out
}

// ParseTaskID returns the tasks a task_id made by DigestCard lists, in
// order; nil for any other id.
func ParseTaskID(id string) []CardTask {
	groups := strings.Split(id, "@")
	var out []CardTask
	for _, g := range groups[1:] {
		f := strings.Split(g, "-")
		for _, n := range f[1:] {
			if no, err := strconv.Atoi(n); err == nil && no > 0 && validTable(f[0]) {
				out = append(out, CardTask{f[0], no})
			}
		}
	}
	return out
}

// validTable reports whether a table name can go in a task_id: letters,
// digits and '_' (kb.Table values are such).
func validTable(t string) bool {
	if t == "" {
		return false
	}
	for _, r := range t {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// clip cuts s to n runes, marking a cut with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
