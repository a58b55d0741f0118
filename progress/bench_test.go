package progress

import (
	"testing"

	"duban/kb"
)

// BenchmarkLookup is the cost answers and reminders pay per task.
func BenchmarkLookup(b *testing.B) {
	st := openMem(b, b.TempDir())
	defer st.Close()
	tr := New(st, Config{})
	for no := 1; no <= 200; no++ {
		if _, err := tr.Record(b.Context(), kb.Status{Table: kb.KeyTasks, No: no, State: kb.InProgress}); err != nil {
			b.Fatal(err)
		}
	}
	tr.Lookup(kb.KeyTasks, 1)
	for b.Loop() {
		tr.Lookup(kb.KeyTasks, 76)
	}
}

// BenchmarkParseReport is the cost every inbound message pays to be told
// apart from a question.
func BenchmarkParseReport(b *testing.B) {
	msgs := []string{"76号进展：已完成招标，9月开工", "住建局还有哪些没完成", "76号任务谁牵头", "撤销76号完成"}
	for b.Loop() {
		for _, m := range msgs {
			ParseReport(m)
		}
	}
}

// BenchmarkCurrent is a full reload of 200 tasks' histories.
func BenchmarkCurrent(b *testing.B) {
	st := openMem(b, b.TempDir())
	defer st.Close()
	tr := New(st, Config{})
	for no := 1; no <= 200; no++ {
		for range 3 {
			if _, err := tr.Record(b.Context(), kb.Status{Table: kb.KeyTasks, No: no, State: kb.InProgress}); err != nil {
				b.Fatal(err)
			}
		}
	}
	for b.Loop() {
		if _, err := tr.Current(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}
