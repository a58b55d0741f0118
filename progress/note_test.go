package progress

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"duban/handlers"
	"duban/kb"
)

func TestPlainNote(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain stays", "已完成招标，9月开工", "已完成招标，9月开工"},
		{"link", "详见[通知](http://evil.example/x)", "详见［通知］（http://evil.example/x）"},
		{"remote image", "![](http://evil.example/p.png)", "！［］（http://evil.example/p.png）"},
		{"fake status line", "已验收\n状态：已完成（交通局 9月3日）", "已验收 状态：已完成（交通局 9月3日）"},
		{"crlf and tabs fold to one space", "a\r\n\r\n\tb", "a b"},
		{"emphasis heading code", "# **急** `rm`", "＃ ＊＊急＊＊ ｀rm｀"},
		{"html tag", `<font color="red">红</font>`, `＜font color="red"＞红＜/font＞`},
		{"bidi override and zero width", "ab\u202ecd\u200bef", "ab cd ef"},
		{"leading and trailing space", "  \n已完成\n ", "已完成"},
		{"invalid utf-8", "a\xffb", "a\ufffdb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainNote(tt.in); got != tt.want {
				t.Errorf("PlainNote(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPlainNoteCapped(t *testing.T) {
	long := strings.Repeat("进展", 30_000) // 60,000 runes, ~180 KB
	got := PlainNote(long)
	if n := utf8.RuneCountInString(got); n != NoteLimit+1 || !strings.HasSuffix(got, "…") {
		t.Errorf("PlainNote(60,000 runes) has %d runes (suffix %q), want %d and …", n, got[len(got)-3:], NoteLimit+1)
	}
	exact := strings.Repeat("字", NoteLimit)
	if got := PlainNote(exact); got != exact {
		t.Errorf("a note of exactly NoteLimit runes was cut: %q", got)
	}
}

// TestLookupShowsPlainNoteHistoryKeepsAll checks the split the issue asks
// for: answers and reminders (Lookup) get the plain, capped note; the
// history and the exports' Current keep the note as written.
func TestLookupShowsPlainNoteHistoryKeepsAll(t *testing.T) {
	st := openMem(t, t.TempDir())
	defer st.Close()
	tr := New(st, Config{Now: newClock().Now})
	ctx := t.Context()
	note := "已验收\n状态：已完成 [点此](http://evil.example) " + strings.Repeat("长", 1000)
	s := report(kb.KeyTasks, 76, kb.Extension, note)
	s.Extension = "10月底\n状态：已完成"
	for _, warm := range []bool{false, true} { // before and after the first snapshot
		if warm {
			tr.Lookup(kb.KeyTasks, 1)
		}
		if _, err := tr.Record(ctx, s); err != nil {
			t.Fatal(err)
		}
		got, ok := tr.Lookup(kb.KeyTasks, 76)
		if !ok || got.Note != PlainNote(note) || got.Extension != "10月底 状态：已完成" {
			t.Errorf("warm=%v: Lookup note = %q, extension %q; want the plain forms", warm, got.Note, got.Extension)
		}
	}
	h, err := tr.History(ctx, kb.KeyTasks, 76)
	if err != nil || len(h) != 2 || h[1].Note != note {
		t.Fatalf("History kept %d entries, last note %d bytes; want the note as written (%d bytes)", len(h), len(h[len(h)-1].Note), len(note))
	}
	cur, err := tr.Current(ctx)
	if err != nil || cur[Key{kb.KeyTasks, 76}].Note != note {
		t.Errorf("Current note is not the note as written (err %v)", err)
	}
	if got, _ := tr.Lookup(kb.KeyTasks, 76); got.Note != PlainNote(note) {
		t.Errorf("after Current, Lookup note = %q, want the plain form", got.Note)
	}
}

// FuzzPlainNote checks, for any note, that the plain form is one line with
// no control or formatting characters, holds no markup character, is
// capped, and that no dialect's rendering of an answer carrying it holds a
// link or image.
func FuzzPlainNote(f *testing.F) {
	for _, s := range []string{"已完成", "[a](http://x)", "![i](http://x/p.png)", "a\nb\r\nc", "<a href=x>", "\u202e", strings.Repeat("x", 500)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, note string) {
		got := PlainNote(note)
		if !utf8.ValidString(got) {
			t.Fatalf("PlainNote(%q) = %q, invalid UTF-8", note, got)
		}
		if n := utf8.RuneCountInString(got); n > NoteLimit+1 {
			t.Fatalf("PlainNote(%q) has %d runes, over %d", note, n, NoteLimit+1)
		}
		for _, r := range got {
			if _, markup := noteRunes[r]; markup || r != ' ' && (unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
				t.Fatalf("PlainNote(%q) = %q, holds %U", note, got, r)
			}
		}
		reply := handlers.Reply{Head: "76号", Lines: []string{"状态：已完成：" + got}}
		for _, d := range []handlers.Dialect{handlers.WeComText, handlers.WeComAIBot, handlers.WeComMarkdown, handlers.DingTalkMarkdown} {
			out := strings.Join(handlers.Render(reply, d), "\n")
			if strings.Contains(out, "](") || strings.Count(out, "\n") != strings.Count(strings.Join(handlers.Render(handlers.Reply{Head: "76号", Lines: []string{"x"}}, d), "\n"), "\n") {
				t.Fatalf("%s renders note %q as %q", d.Name, note, out)
			}
		}
	})
}

func TestCSVNeutralisesFormulas(t *testing.T) {
	for _, note := range []string{`=HYPERLINK("http://evil.example","点此")`, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"} {
		cell := exportCell(t, note)
		if cell != "'"+note {
			t.Errorf("CSV note cell for %q = %q, want it prefixed with '", note, cell)
		}
	}
	if cell := exportCell(t, "已验收=合格"); cell != "已验收=合格" {
		t.Errorf("CSV note cell = %q, want it unchanged", cell)
	}
}

// exportCell writes the CSV export with note on key task 76 and returns
// that row's 进展说明 cell as a CSV reader reads it.
func exportCell(t *testing.T, note string) string {
	t.Helper()
	st := exportStatuses()
	s := st[Key{kb.KeyTasks, 76}]
	s.Note = note
	st[Key{kb.KeyTasks, 76}] = s
	var buf bytes.Buffer
	if err := WriteCSV(&buf, fixtureBase(t), st); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	for _, r := range rows {
		if r[0] == kb.TableTitle[kb.KeyTasks] && r[1] == "76" {
			return r[10]
		}
	}
	t.Fatal("no row for key task 76")
	return ""
}

// FuzzCSVCell checks that every cell a spreadsheet would take for a
// formula is neutralised, and that nothing else is changed.
func FuzzCSVCell(f *testing.F) {
	for _, s := range []string{"=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "已完成", "", "'=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := CSVCell(s)
		if got == "" {
			if s != "" {
				t.Fatalf("CSVCell(%q) = empty", s)
			}
			return
		}
		if strings.ContainsRune("=+-@\t\r", rune(got[0])) {
			t.Fatalf("CSVCell(%q) = %q starts a formula", s, got)
		}
		if got != s && got != "'"+s {
			t.Fatalf("CSVCell(%q) = %q, changed more than a leading apostrophe", s, got)
		}
	})
}

// TestXLSXStaysTyped checks that the xlsx export is not neutralised like
// the CSV: a note that looks like a formula is a plain string cell (no
// formula, no apostrophe) and 序号 stays a number.
func TestXLSXStaysTyped(t *testing.T) {
	st := exportStatuses()
	s := st[Key{kb.KeyTasks, 76}]
	s.Note = `=HYPERLINK("http://evil.example","点此")`
	st[Key{kb.KeyTasks, 76}] = s
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, fixtureBase(t), st); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := kb.TableTitle[kb.KeyTasks]
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) < 11 || r[1] != "76" {
			continue
		}
		note, _ := excelize.CoordinatesToCellName(11, i+1)
		no, _ := excelize.CoordinatesToCellName(2, i+1)
		if formula, _ := f.GetCellFormula(sheet, note); formula != "" {
			t.Errorf("note cell %s has formula %q", note, formula)
		}
		if r[10] != s.Note {
			t.Errorf("note cell = %q, want %q as written", r[10], s.Note)
		}
		if typ, _ := f.GetCellType(sheet, no); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("序号 cell %s type = %v, want a number", no, typ)
		}
		return
	}
	t.Fatal("no row for key task 76")
}

// BenchmarkPlainNote is the cost of making one long note plain, paid once
// per snapshot reload, not per answer.
func BenchmarkPlainNote(b *testing.B) {
	note := strings.Repeat("已完成招标[详见](http://x)\n", 50)
	for b.Loop() {
		PlainNote(note)
	}
}

// TestLongNoteOneMessage: a 60 KB note (older journals hold such notes;
// chat now caps messages) shows in an answer as its capped plain form, so
// the answer is one message in every dialect.
func TestLongNoteOneMessage(t *testing.T) {
	st := openMem(t, t.TempDir())
	defer st.Close()
	tr := New(st, Config{Now: newClock().Now})
	note := strings.Repeat("进展说明很长。", 3000) // 21,000 runes, 63 KB
	if _, err := tr.Record(t.Context(), report(kb.KeyTasks, 76, kb.InProgress, note)); err != nil {
		t.Fatal(err)
	}
	h := handlers.New(fixtureBase(t), handlers.Config{Status: tr.Lookup})
	r := h.Answer(t.Context(), handlers.Question{Text: "重点工作76号"})
	for _, d := range []handlers.Dialect{handlers.WeComText, handlers.WeComMarkdown, handlers.WeComAIBot, handlers.DingTalkMarkdown} {
		if n := len(handlers.Render(r, d)); n != 1 {
			t.Errorf("%s: the answer is %d messages, want 1", d.Name, n)
		}
	}
	if !strings.Contains(r.Text(), "进展说明很长") {
		t.Errorf("answer %q does not show the note", r.Text())
	}
}
