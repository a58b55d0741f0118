package handlers_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"duban/handlers"
)

// longQuestion is n characters of question words, names and numbers, the
// mix that makes every stage work hardest: a pasted report, not a question.
func longQuestion(n int) string {
	parts := []string{"请问", "第76项", "交通局", "牵头", "垃圾分类", "8月底前", "哪些", "周国强", "，", "谢谢", "65周岁以上老人体检", "十四五"}
	var b strings.Builder
	for i := 0; b.Len() < 3*n; i++ {
		b.WriteString(parts[i%len(parts)])
	}
	return string([]rune(b.String())[:n])
}

// TestLongQuestionBounded asks a 14,000-character question: every stage is
// linear in its length, so it answers in well under 100 ms (a quadratic
// entity scan took 57 s). The bound is loose under the race detector.
func TestLongQuestionBounded(t *testing.T) {
	h := seedsHandler(t)
	q := longQuestion(14000)
	h.Answer(context.Background(), handlers.Question{Text: "预热"})
	start := time.Now()
	r := h.Answer(context.Background(), handlers.Question{Text: q})
	took := time.Since(start)
	limit := 100 * time.Millisecond
	if raceEnabled {
		limit = time.Second
	}
	if took > limit {
		t.Errorf("a %d-character question took %v, want under %v", len([]rune(q)), took, limit)
	}
	if r.Text() == "" {
		t.Error("empty answer")
	}
}

// TestAnswerHonoursDeadline: a context already past its deadline still
// gets an answer (never a hang), without running the intents.
func TestAnswerHonoursDeadline(t *testing.T) {
	h := seedsHandler(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	r := h.Answer(ctx, handlers.Question{Text: longQuestion(14000)})
	if took := time.Since(start); took > time.Second {
		t.Errorf("cancelled question took %v", took)
	}
	if !r.NotFound || r.Explain == nil || r.Explain.Chosen != "deadline" {
		t.Errorf("cancelled question: want the deadline answer, got %+v: %s", r.Explain, r.Text())
	}
}

func BenchmarkLongQuestion(b *testing.B) {
	h := seedsHandler(b)
	for _, n := range []int{140, 1400, 14000} {
		q := handlers.Question{Text: longQuestion(n)}
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				h.Answer(context.Background(), q)
			}
		})
	}
}
