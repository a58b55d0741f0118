package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"duban/handlers"
	"duban/kb"
	"duban/progress"
)

// taskPage is one task's page and its JSON (/api/task/{table}/{no}).
type taskPage struct {
	Task     Task         `json:"task"`
	Title    string       `json:"table_title"` // the document's title of the table
	Cite     string       `json:"cite"`        // 来源：… (file:line, row)
	History  []HistoryRow `json:"history"`     // every journal entry, oldest first, up to the as-of day
	Later    int          `json:"later"`       // entries made after the as-of day, not shown
	Ledger   string       `json:"ledger"`      // "read", or why the reminders are not shown
	Sent     []Reminder   `json:"reminders"`
	Question string       `json:"question,omitempty"` // what the bot was asked
	Answer   string       `json:"answer,omitempty"`   // the bot's answer, plain text
}

// A HistoryRow is one journal entry as the page lists it.
type HistoryRow struct {
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	State     kb.State  `json:"state"`
	Label     string    `json:"label"` // 申请延期至10月底, 撤销 #3
	Note      string    `json:"note,omitempty"`
	Unit      string    `json:"unit,omitempty"`
	User      string    `json:"user,omitempty"`
	Chat      string    `json:"chat,omitempty"`
	Withdrawn bool      `json:"withdrawn,omitempty"` // undone by a later entry (by the as-of day)
}

// taskView builds the page of task (t, no) in v, or reports false.
func (d *Dashboard) taskView(ctx context.Context, v *view, t kb.Table, no int) (*taskPage, bool) {
	var task *Task
	for i := range v.all {
		if v.all[i].Table == t && v.all[i].No == no {
			task = &v.all[i]
			break
		}
	}
	if task == nil {
		return nil, false
	}
	tp := &taskPage{Task: *task, Title: v.base.Title(t)}
	src := task.Source
	tp.Cite = fmt.Sprintf("来源：%s 第%d项（%s:%d", tp.Title, no, src.File, src.Line)
	if src.Row > 0 {
		tp.Cite += "，表第" + strconv.Itoa(src.Row) + "行"
	}
	tp.Cite += "）"

	es := v.hist[progress.Key{Table: t, No: no}]
	undone := map[int64]bool{}
	for _, e := range es {
		if !e.At.After(v.asOf) && e.State == kb.Undone {
			undone[e.Undoes] = true
		}
	}
	for _, e := range es {
		if e.At.After(v.asOf) {
			tp.Later++
			continue
		}
		row := HistoryRow{Seq: e.Seq, At: e.At, State: e.State, Label: e.Label(), Note: e.Note,
			Unit: e.Unit, User: e.User, Chat: e.Chat, Withdrawn: undone[e.Seq]}
		if e.State == kb.Undone {
			row.Label = "撤销 #" + strconv.FormatInt(e.Undoes, 10)
		}
		tp.History = append(tp.History, row)
	}

	tp.Ledger = "未配置提醒（reminders 与 chats），没有提醒记录"
	if d.cfg.Reminders != nil {
		sent, err := d.cfg.Reminders(ctx, t, no, v.asOf)
		if err != nil {
			d.cfg.Logger.Warn("dashboard: reminders unreadable", "table", t, "no", no, "err", err)
			tp.Ledger = "提醒台账读取失败：" + err.Error()
		} else {
			tp.Ledger, tp.Sent = "read", sent
		}
	}

	if d.cfg.Answer != nil {
		q, r := d.answer(ctx, v.base, task, v.asOf)
		tp.Question, tp.Answer = q, r.Text()
	}
	return tp, true
}

// questions are how an official would ask for task (t, no): 第N项 for the
// table a bare number means, else with the table's place or scope word
// (实事, 南通, 措施) in front.
func questions(b *kb.Base, t kb.Table, no int) []string {
	q := "第" + strconv.Itoa(no) + "项"
	var out []string
	if tables := b.Tables(); len(tables) > 0 && tables[0].ID == t {
		out = append(out, q)
	}
	if ti, ok := b.Table(t); ok {
		for _, w := range append([]string{ti.Place}, ti.Scope...) {
			if w != "" && !contains(out, w+q) {
				out = append(out, w+q)
			}
		}
	}
	if len(out) == 0 {
		out = append(out, q)
	}
	return out
}

// answer asks the bot for the task as of asOf: the first wording whose
// answer cites the task's own source, else the first wording's answer.
func (d *Dashboard) answer(ctx context.Context, b *kb.Base, task *Task, asOf time.Time) (string, handlers.Reply) {
	qs := questions(b, task.Table, task.No)
	var first handlers.Reply
	for i, q := range qs {
		r := d.cfg.Answer(ctx, handlers.Question{Text: q, Now: asOf})
		if i == 0 {
			first = r
		}
		for _, s := range r.Sources {
			if s.File == task.Source.File && s.Line == task.Source.Line {
				return q, r
			}
		}
	}
	return qs[0], first
}

func (d *Dashboard) task(w http.ResponseWriter, r *http.Request) {
	v, code, err := d.load(r)
	if err != nil {
		d.fail(w, r, code, err)
		return
	}
	no, err := strconv.Atoi(r.PathValue("no"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	tp, ok := d.taskView(r.Context(), v, kb.Table(r.PathValue("table")), no)
	if !ok {
		http.NotFound(w, r)
		return
	}
	p := &page{Title: tp.Task.TableLabel + "第" + strconv.Itoa(no) + "项", Tab: "task", Root: "../../", Day: v.day, Board: &v.board, Task: tp}
	d.render(w, r, "task", p)
}
