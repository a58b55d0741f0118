package wecom

import (
	"errors"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"duban/bot"
	"duban/bot/cardtest"
	"duban/handlers"
	"duban/kb"
)

var taskIDChars = regexp.MustCompile(`^[0-9A-Za-z_\-@]{1,128}$`)

// TestDigestCardGenerated checks, over generated digests, that a card keeps
// WeCom's limits and that its task_id, picker and buttons read back as the
// tasks they were made from.
func TestDigestCardGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 9))
	tables := []kb.Table{kb.KeyTasks, kb.PeopleProjects, kb.Nantong2019, kb.Measures2019}
	for i := range 500 {
		var r handlers.Reply
		r.Head = "住建局 今日督办提醒" + strings.Repeat("长", rng.IntN(30))
		for range rng.IntN(30) {
			r.Tasks = append(r.Tasks, handlers.TaskAction{Table: tables[rng.IntN(len(tables))], No: 1 + rng.IntN(2000),
				Title: "一个相当长的任务标题用来测试截断", Due: "12月31日", Light: "yellow"})
		}
		c := DigestCard(r, time.Unix(int64(i), 0))
		if !taskIDChars.MatchString(c.TaskID) {
			t.Fatalf("task_id %q breaks [0-9A-Za-z_-@]{1,128}", c.TaskID)
		}
		listed := ParseTaskID(c.TaskID)
		if len(r.Tasks) == 0 {
			if c.ButtonSelection != nil || len(c.Buttons) != 0 {
				t.Fatalf("a card without tasks has buttons")
			}
			continue
		}
		if len(listed) == 0 || len(listed) > cardMaxOptions || len(c.ButtonSelection.Options) != len(listed) {
			t.Fatalf("%d tasks: task_id lists %d, picker %d", len(r.Tasks), len(listed), len(c.ButtonSelection.Options))
		}
		if len(c.Fields) > cardMaxFields || len(c.Buttons) != 3 || utf8.RuneCountInString(c.MainTitle.Title) > cardTitleRunes {
			t.Fatalf("card breaks a limit: %+v", c)
		}
		for j, tk := range listed {
			want := r.Tasks[j]
			if tk.Table != string(want.Table) || tk.No != want.No {
				t.Fatalf("task_id entry %d = %v, want %s %d", j, tk, want.Table, want.No)
			}
			// Picking option j and tapping any button acts on task j.
			for _, b := range c.Buttons {
				_, table, no, err := CardClick(b.Key, c.TaskID, map[string][]string{CardQuestionKey: {c.ButtonSelection.Options[j].ID}})
				if err != nil || table != tk.Table || no != tk.No {
					t.Fatalf("click %q on option %d = %s %d %v, want %v", b.Key, j, table, no, err, tk)
				}
			}
		}
	}
}

func TestViewCard(t *testing.T) {
	r := handlers.Reply{Head: "提醒"}
	for _, no := range []int{76, 77, 78} {
		r.Tasks = append(r.Tasks, handlers.TaskAction{Table: kb.KeyTasks, No: no})
	}
	id := DigestCard(r, time.Unix(0, 0)).TaskID
	a := bot.CardAction{Verb: bot.VerbDone, Table: "key_tasks", No: 77, UserID: "u"}
	tests := []struct {
		name     string
		taskID   string
		view     bot.CardView
		cardType string
		options  []string // picker option ids, the selected first
	}{
		{"pending claim keeps all, tapped first", id, bot.CardView{Title: "77号 待审核"}, "button_interaction", []string{"key_tasks:77", "key_tasks:76", "key_tasks:78"}},
		{"final drops the task", id, bot.CardView{Title: "77号 已办结", Final: true}, "button_interaction", []string{"key_tasks:76", "key_tasks:78"}},
		{"refused keeps all", id, bot.CardView{Title: "不能登记", Refused: true}, "button_interaction", []string{"key_tasks:77", "key_tasks:76", "key_tasks:78"}},
		{"unknown task_id, refused: own buttons", "x", bot.CardView{Refused: true}, "button_interaction", []string{"key_tasks:77"}},
		{"unknown task_id, final: notice", "x", bot.CardView{Final: true}, "text_notice", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ViewCard(tt.taskID, a, tt.view)
			if c.CardType != tt.cardType || c.TaskID != tt.taskID {
				t.Errorf("card type %q task_id %q, want %q %q", c.CardType, c.TaskID, tt.cardType, tt.taskID)
			}
			var got []string
			if c.ButtonSelection != nil {
				for _, o := range c.ButtonSelection.Options {
					got = append(got, o.ID)
				}
				if c.ButtonSelection.SelectedID != got[0] {
					t.Errorf("selected %q, want the first option", c.ButtonSelection.SelectedID)
				}
			}
			if strconv.Quote(fmtList(got)) != strconv.Quote(fmtList(tt.options)) {
				t.Errorf("options %v, want %v", got, tt.options)
			}
		})
	}
}

func fmtList(s []string) string {
	out := ""
	for _, x := range s {
		out += x + ","
	}
	return out
}

// TestReviewCardVerbs: a review request offers a reviewer's verbs; the
// card's buttons are those, and an update after a tap rebuilds them from
// the task_id.
func TestReviewCardVerbs(t *testing.T) {
	r := handlers.Reply{Head: "待审核：76号", Tasks: []handlers.TaskAction{
		{Table: kb.KeyTasks, No: 76, Verbs: handlers.ClaimVerbs},
		{Table: kb.KeyTasks, No: 80}, // a unit's verbs: not on this card
	}}
	c := DigestCard(r, time.Unix(0, 0))
	if len(c.Buttons) != 2 || c.Buttons[0].Text != handlers.VerbLabel(bot.VerbApprove) || c.Buttons[1].Key != bot.CardKey(bot.VerbReturn, "key_tasks", 76) {
		t.Fatalf("buttons %+v, want 通过 and 退回 on 76", c.Buttons)
	}
	if len(c.ButtonSelection.Options) != 1 {
		t.Errorf("picker %+v, want 76 only", c.ButtonSelection.Options)
	}
	if got := ParseTaskVerbs(c.TaskID); fmtList(got) != fmtList(handlers.ClaimVerbs) {
		t.Errorf("ParseTaskVerbs(%q) = %v", c.TaskID, got)
	}
	u := ViewCard(c.TaskID, bot.CardAction{Verb: bot.VerbApprove, Table: "key_tasks", No: 76}, bot.CardView{Title: "不是审核人", Refused: true})
	if len(u.Buttons) != 2 || u.Buttons[0].Key != c.Buttons[0].Key {
		t.Errorf("refused update buttons %+v, want the reviewer's again", u.Buttons)
	}
}

// BenchmarkDigestCard renders a 40-task digest as one template_card.
func BenchmarkDigestCard(b *testing.B) {
	r := cardtest.Digest(40)
	now := time.Unix(0, 0)
	for b.Loop() {
		DigestCard(r, now)
	}
}

// TestCardClickNoChoice: without the picker's choice, a tap acts on the
// button's task only when the card offers that task alone.
func TestCardClickNoChoice(t *testing.T) {
	key := bot.CardKey(bot.VerbDone, "key_tasks", 76)
	tests := []struct {
		name     string
		taskID   string
		selected map[string][]string
		wantNo   int
		wantErr  error
	}{
		{"one task", "vdei_x@key_tasks-76", nil, 76, nil},
		{"foreign task_id", "somebody-else", nil, 76, nil},
		{"several, chosen", "vdei_x@key_tasks-76-77", map[string][]string{CardQuestionKey: {"key_tasks:77"}}, 77, nil},
		{"several, no choice", "vdei_x@key_tasks-76-77", nil, 76, ErrNoChoice},
		{"several, another question", "vdei_x@key_tasks-76-77", map[string][]string{"other": {"key_tasks:77"}}, 76, ErrNoChoice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			verb, _, no, err := CardClick(key, tt.taskID, tt.selected)
			if !errors.Is(err, tt.wantErr) || no != tt.wantNo || verb != bot.VerbDone {
				t.Errorf("CardClick = %s %d %v, want done %d %v", verb, no, err, tt.wantNo, tt.wantErr)
			}
		})
	}
}
